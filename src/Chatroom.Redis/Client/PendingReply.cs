using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;

namespace Chatroom.Redis.Client;

/// <summary>Decodes one complete, non-error reply frame.</summary>
internal delegate T ReplyParser<out T>(in ReadOnlySequence<byte> frame);

/// <summary>An entry of a connection's FIFO of commands written and waiting for their reply.</summary>
internal interface IPendingReply
{
    /// <summary><see cref="Environment.TickCount64"/> after which the caller is failed with a timeout.</summary>
    long Deadline { get; }

    bool IsCompleted { get; }

    /// <summary>Delivers the reply frame (the connection's reader calls this exactly once, or <see cref="OnFailure"/>).</summary>
    void OnReply(in ReadOnlySequence<byte> frame);

    void OnFailure(Exception exception);

    /// <summary>Fails the caller now (timeout); the reply, when it comes, is read and dropped.</summary>
    void Abandon(Exception exception);
}

/// <summary>
/// A pooled completion for one command. Two parties hold it: the connection's reader (until the
/// reply frame or a failure) and the caller (until it has read the result); it goes back to the
/// pool when both are done, so a command costs no allocation once the pool is warm.
/// </summary>
internal sealed class PendingReply<T> : IPendingReply, IValueTaskSource<T>
{
    private static readonly ConcurrentQueue<PendingReply<T>> Pool = new();
    private static int _pooled;

    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = true };
    private ReplyParser<T> _parser = null!;
    private CancellationTokenRegistration _cancellation;
    private int _completed;
    private int _holders;

    public long Deadline { get; private set; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public ValueTask<T> Task => new(this, _core.Version);

    public static PendingReply<T> Rent(ReplyParser<T> parser, long timeoutMs, CancellationToken cancellationToken)
    {
        if (Pool.TryDequeue(out var reply))
        {
            Interlocked.Decrement(ref _pooled);
        }
        else
        {
            reply = new PendingReply<T>();
        }

        reply._parser = parser;
        reply._completed = 0;
        reply._holders = 2;
        reply.Deadline = Environment.TickCount64 + timeoutMs;
        if (cancellationToken.CanBeCanceled)
        {
            reply._cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingReply<T>)state!).Abandon(new OperationCanceledException(token)), reply);
        }

        return reply;
    }

    public void OnReply(in ReadOnlySequence<byte> frame)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            try
            {
                _core.SetResult(_parser(frame));
            }
            catch (Exception e)
            {
                _core.SetException(e);
            }
        }

        Release();
    }

    public void OnFailure(Exception exception)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _core.SetException(exception);
        }

        Release();
    }

    public void Abandon(Exception exception)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _core.SetException(exception);
        }
    }

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Release();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Release()
    {
        if (Interlocked.Decrement(ref _holders) != 0)
        {
            return;
        }

        _cancellation.Dispose();
        _cancellation = default;
        _parser = null!;
        _core.Reset();
        if (Interlocked.Increment(ref _pooled) <= 1024)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }
}
