namespace Chatroom.Testing.Hosting;

/// <summary>Waits for a condition with a generous deadline instead of a fixed sleep: a loaded machine only makes it slower.</summary>
public static class Poll
{
    /// <summary>Calls <paramref name="probe"/> until it returns something; fails the test naming <paramref name="what"/> after the deadline.</summary>
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T?>> probe, TimeSpan? timeout = null)
        where T : class
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {what} within {limit.TotalSeconds:F0} s");
            await Task.Delay(100);
        }
    }
}
