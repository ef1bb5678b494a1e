using OpenTelemetry.Trace;

namespace Chatroom.ServiceDefaults.Telemetry;

/// <summary>
/// The default sampler (parent-based, every root sampled) except for Redis commands issued outside any span: the
/// queue consumers poll with XAUTOCLAIM/XREADGROUP and presence refreshes its keys on timers, and each such command
/// would otherwise be a trace of its own (≈ 55 a second on an idle system, issue 25), burying the traces of messages.
/// Redis commands made while a span is current (a message being stored, classified, answered) stay in that trace.
/// </summary>
internal sealed class ChatTraceSampler : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    private readonly Sampler _default = new ParentBasedSampler(new AlwaysOnSampler());

    public ChatTraceSampler() => Description = "ChatTraceSampler{ParentBased{AlwaysOn}, no parentless Redis commands}";

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.ParentContext == default && IsRedisCommand(samplingParameters.Tags)
            ? Drop
            : _default.ShouldSample(samplingParameters);

    /// <summary>
    /// The StackExchange.Redis instrumentation (vendored in Aspire's client, its options internal) starts every span
    /// with <c>db.system</c> (or the newer <c>db.system.name</c>) = <c>redis</c>: the only thing a sampler can tell it by.
    /// </summary>
    private static bool IsRedisCommand(IEnumerable<KeyValuePair<string, object?>>? tags)
    {
        if (tags is null)
        {
            return false;
        }

        foreach (var (key, value) in tags)
        {
            if (key is "db.system" or "db.system.name" && value is "redis")
            {
                return true;
            }
        }

        return false;
    }
}
