namespace Chatroom.ServiceDefaults.Tests;

/// <summary><c>Chatroom:Api:MaxRequestBodyBytes</c>: a limit outside 1 KiB–16 MiB stops start-up, naming the key.</summary>
public sealed class RequestBodyLimitTests
{
    [Theory]
    [InlineData("100")]
    [InlineData("17000000")]
    public async Task ABodyLimitOutOfRangeStopsStartUp(string bytes)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Chatroom:Api:MaxRequestBodyBytes"] = bytes,
        }));
        Assert.Contains("Chatroom:Api:MaxRequestBodyBytes", failure.Message);
    }
}
