using System.Threading.Channels;
using Chatroom.Core.Chat;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatroom.Core.Queues;

/// <summary>
/// Queue writes that failed after their message was stored and acknowledged (the queue's disk full, Redis away for a
/// moment): tried again in the background, in order, until the queue takes them, so the message is still analysed and
/// seen by agents. Held in memory: at most <see cref="Capacity"/> writes wait (beyond that a write is dropped and
/// logged), and writes still waiting when the process stops are logged by room and id.
/// </summary>
public sealed partial class QueueRetry : BackgroundService
{
    /// <summary>Writes held at most; one is ≈ 100 bytes.</summary>
    public const int Capacity = 100_000;

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly IWorkQueue _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueRetry> _logger;
    private readonly Channel<PendingWrite> _pending = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _waiting;
    private long _caughtUp;

    public QueueRetry(IWorkQueue queue, ChatMetrics metrics, TimeProvider time, ILogger<QueueRetry> logger)
    {
        _queue = queue;
        _time = time;
        _logger = logger;
        metrics.Meter.CreateObservableUpDownCounter("chatroom.queue.retry.pending", () => Waiting, "{entry}",
            "Queue writes that failed after their message was stored, waiting to be tried again.");
    }

    /// <summary>Writes waiting to be tried again.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Holds a failed write to try again; false (and logged) when <see cref="Capacity"/> writes already wait.</summary>
    public bool Add(IReadOnlyList<string> queues, WorkItem item)
    {
        Interlocked.Increment(ref _waiting);
        if (_pending.Writer.TryWrite(new PendingWrite(queues, item)))
        {
            return true;
        }

        Interlocked.Decrement(ref _waiting);
        LogDropped(_logger, item.Room, item.MessageId, Capacity);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_pending.Reader.TryPeek(out var write))
                {
                    await WriteAsync(write, stoppingToken);
                    _pending.Reader.TryRead(out _);
                    _caughtUp++;
                    if (Interlocked.Decrement(ref _waiting) == 0)
                    {
                        LogCaughtUp(_logger, _caughtUp);
                        _caughtUp = 0;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_pending.Reader.TryRead(out var write))
            {
                LogLostAtStop(_logger, write.Item.Room, write.Item.MessageId);
            }
        }
    }

    /// <summary>Tries one write until the queue takes it, waiting longer after each failure (up to <see cref="MaxDelay"/>).</summary>
    private async Task WriteAsync(PendingWrite write, CancellationToken stoppingToken)
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _queue.EnqueueAsync(write.Queues, write.Item, stoppingToken);
                LogQueued(_logger, write.Item.Room, write.Item.MessageId, attempt);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt == 1 || delay == MaxDelay)
                {
                    LogStillFailing(_logger, e, write.Item.Room, write.Item.MessageId, Waiting);
                }
            }

            await Task.Delay(delay, _time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    private sealed record PendingWrite(IReadOnlyList<string> Queues, WorkItem Item);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Queue write for message {Room}/{Id} failed again; {Waiting} writes wait to be tried again")]
    private static partial void LogStillFailing(ILogger logger, Exception exception, string room, long id, long waiting);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Message {Room}/{Id} queued for analysis on attempt {Attempt}")]
    private static partial void LogQueued(ILogger logger, string room, long id, int attempt);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Queue writes caught up: {Count} messages queued for analysis after their first write failed")]
    private static partial void LogCaughtUp(ILogger logger, long count);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Message {Room}/{Id} will not be analysed: {Capacity} queue writes already wait to be tried again")]
    private static partial void LogDropped(ILogger logger, string room, long id, int capacity);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Message {Room}/{Id} will not be analysed: its queue write still waited when the process stopped")]
    private static partial void LogLostAtStop(ILogger logger, string room, long id);
}
