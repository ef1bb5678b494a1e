using Chatroom.Core.Errors;
using StackExchange.Redis;

namespace Chatroom.Redis;

/// <summary>
/// Turns StackExchange.Redis failures into the ports' <see cref="BackendUnavailableException"/>, and waits out
/// <c>TRYAGAIN</c> (a multi-key command during a slot migration), which the library hands back as an error.
/// </summary>
internal static class RedisPort
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs <paramref name="work"/>; the library's commands take no token, so cancelling stops the wait for the
    /// reply, not the command.
    /// </summary>
    public static async Task<T> GuardAsync<T>(IConnectionMultiplexer redis, CancellationToken cancellationToken, Func<Task<T>> work)
    {
        // TRYAGAIN is retried for as long as one command may take (syncTimeout): a migration usually finishes sooner.
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(redis.TimeoutMilliseconds);
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                return await work().WaitAsync(cancellationToken);
            }
            catch (RedisServerException e) when (IsTryAgain(e) && DateTime.UtcNow + delay < deadline)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                // A command in flight when the connection drops fails with the socket's own error (Pipelines.Sockets'
                // ConnectionResetException, an IOException) rather than a RedisConnectionException.
                throw Unavailable(e);
            }
        }
    }

    public static Task GuardAsync(IConnectionMultiplexer redis, CancellationToken cancellationToken, Func<Task> work) =>
        GuardAsync(redis, cancellationToken, async () =>
        {
            await work();
            return true;
        });

    public static async ValueTask<T> GuardValueAsync<T>(IConnectionMultiplexer redis, CancellationToken cancellationToken, Func<Task<T>> work) =>
        await GuardAsync(redis, cancellationToken, work);

    public static async ValueTask GuardValueAsync(IConnectionMultiplexer redis, CancellationToken cancellationToken, Func<Task> work) =>
        await GuardAsync(redis, cancellationToken, work);

    /// <summary>The first word of a server error (<c>ERR</c>, <c>NOGROUP</c>, <c>BUSYGROUP</c>, <c>TRYAGAIN</c>, …).</summary>
    public static bool HasPrefix(RedisServerException e, string prefix) =>
        e.Message.StartsWith(prefix, StringComparison.Ordinal) && (e.Message.Length == prefix.Length || e.Message[prefix.Length] == ' ');

    /// <summary>
    /// Connection failures (<see cref="RedisConnectionException"/>, a <see cref="RedisException"/>, or the socket's own error
    /// for a command in flight), timeouts
    /// (<see cref="RedisTimeoutException"/>, which derives from <see cref="TimeoutException"/> instead) and error replies.
    /// </summary>
    public static BackendUnavailableException Unavailable(Exception e) => new(e switch
    {
        RedisTimeoutException => $"Redis did not answer in time: {e.Message}",
        RedisServerException => $"Redis refused the command: {e.Message}",
        _ => $"Redis is unavailable: {e.Message}",
    }, e);

    private static bool IsTryAgain(RedisServerException e) => HasPrefix(e, "TRYAGAIN");
}
