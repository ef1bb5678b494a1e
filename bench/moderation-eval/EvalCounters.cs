using System.Diagnostics.Metrics;

namespace Chatroom.Moderation.Eval;

/// <summary>
/// Reads the cascade's own instruments while the run lasts: messages escalated (<c>chatroom.moderation.escalations</c>) and
/// the tokens the models reported in their answers (<c>chatroom.llm.tokens</c>, by kind).
/// </summary>
internal sealed class EvalCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _escalated;
    private long _prompt;
    private long _completion;

    /// <param name="meters">The factory of the run's meters: instruments of other meters in the process are not counted.</param>
    public EvalCounters(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name is "chatroom.moderation.escalations" or "chatroom.llm.tokens")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "chatroom.moderation.escalations")
            {
                Interlocked.Add(ref _escalated, value);
                return;
            }

            foreach (var tag in tags)
            {
                if (tag.Key == "kind" && tag.Value is "prompt")
                {
                    Interlocked.Add(ref _prompt, value);
                }
                else if (tag.Key == "kind")
                {
                    Interlocked.Add(ref _completion, value);
                }
            }
        });
        _listener.Start();
    }

    public long Escalated => Interlocked.Read(ref _escalated);

    public long PromptTokens => Interlocked.Read(ref _prompt);

    public long CompletionTokens => Interlocked.Read(ref _completion);

    /// <summary>Forgets the warm-up message.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _escalated, 0);
        Interlocked.Exchange(ref _prompt, 0);
        Interlocked.Exchange(ref _completion, 0);
    }

    public void Dispose() => _listener.Dispose();
}
