using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Chatroom.Analysis.Models;

/// <summary>
/// LLM instruments on the <c>Chatroom</c> meter: requests, latency and tokens by model and purpose
/// (exported to Prometheus as <c>chatroom_llm_*</c>).
/// </summary>
public sealed class LlmMetrics
{
    public const string MeterName = "Chatroom";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _tokens;

    private readonly TokenUsageRecorder? _usage;

    public LlmMetrics(IMeterFactory meterFactory, TokenUsageRecorder? usage = null)
    {
        _usage = usage;
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("chatroom.llm.requests", "{request}", "LLM requests by model, purpose and outcome.");
        _latency = meter.CreateHistogram<double>("chatroom.llm.latency", "s", "LLM request latency, including retries.", advice: Core.Chat.ChatMetrics.SecondsBuckets);
        _tokens = meter.CreateCounter<long>("chatroom.llm.tokens", "{token}", "LLM tokens by model, purpose and kind (prompt or completion).");
    }

    public void Request(string model, string purpose, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "model", model }, { "purpose", purpose }, { "outcome", outcome } };
        _requests.Add(1, tags);
        _latency.Record(elapsed.TotalSeconds, tags);
    }

    public void Tokens(string model, string purpose, long prompt, long completion)
    {
        _usage?.Add(prompt + completion);
        if (prompt > 0)
        {
            _tokens.Add(prompt, new TagList { { "model", model }, { "purpose", purpose }, { "kind", "prompt" } });
        }

        if (completion > 0)
        {
            _tokens.Add(completion, new TagList { { "model", model }, { "purpose", purpose }, { "kind", "completion" } });
        }
    }
}
