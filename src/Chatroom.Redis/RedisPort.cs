using Chatroom.Core.Errors;

namespace Chatroom.Redis;

/// <summary>Turns client failures into the ports' <see cref="BackendUnavailableException"/>.</summary>
internal static class RedisPort
{
    public static async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (RedisException e)
        {
            throw Unavailable(e);
        }
    }

    public static async ValueTask<T> GuardValueAsync<T>(Func<ValueTask<T>> work)
    {
        try
        {
            return await work();
        }
        catch (RedisException e)
        {
            throw Unavailable(e);
        }
    }

    public static async ValueTask GuardValueAsync(Func<ValueTask> work)
    {
        try
        {
            await work();
        }
        catch (RedisException e)
        {
            throw Unavailable(e);
        }
    }

    public static BackendUnavailableException Unavailable(RedisException e) => new(e switch
    {
        RedisTimeoutException => $"Redis did not answer in time: {e.Message}",
        RedisServerException => $"Redis refused the command: {e.Message}",
        _ => $"Redis is unavailable: {e.Message}",
    }, e);
}
