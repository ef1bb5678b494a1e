using Chatroom.Core.Errors;

namespace Chatroom.Redis.Tests;

/// <summary>Retries a port call that fails while Redis (re)starts or the client reconnects, until a deadline.</summary>
internal static class Eventually
{
    public static async Task<T> AvailableAsync<T>(Func<Task<T>> action, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                return await action();
            }
            catch (BackendUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
