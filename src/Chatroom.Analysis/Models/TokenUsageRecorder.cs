using System.Collections.Concurrent;
using Chatroom.Core.Moderation;

namespace Chatroom.Analysis.Models;

/// <summary>
/// Adds up LLM tokens per minute in memory and writes the totals to the store every few seconds, so the admin
/// dashboard can show tokens per minute across every process without a write on each model call.
/// </summary>
public sealed partial class TokenUsageRecorder(IModerationStore store, TimeProvider time, ILogger<TokenUsageRecorder> logger) : BackgroundService
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<long, long> _pending = new();

    public void Add(long tokens)
    {
        if (tokens > 0)
        {
            _pending.AddOrUpdate(time.GetUtcNow().ToUnixTimeMilliseconds() / 60_000, tokens, (_, sum) => sum + tokens);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var minute in _pending.Keys.ToList())
        {
            if (!_pending.TryRemove(minute, out var tokens))
            {
                continue;
            }

            try
            {
                await store.RecordTokensAsync(DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000), tokens, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the count for the next flush rather than lose it.
                _pending.AddOrUpdate(minute, tokens, (_, sum) => sum + tokens);
                LogFlushFailed(logger, e);
                return;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        finally
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Writing LLM token usage failed; it is kept for the next try")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
