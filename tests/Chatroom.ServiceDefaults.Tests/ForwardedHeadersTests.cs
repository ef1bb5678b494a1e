namespace Chatroom.ServiceDefaults.Tests;

/// <summary><c>Chatroom:ForwardedHeaders:KnownNetworks</c>: a trusted proxy must be named correctly or the service does not start.</summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("ingress-nginx")]
    [InlineData("*")]
    public async Task ATrustedProxyThatIsNotACidrNetworkStopsStartUp(string network)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Chatroom:ForwardedHeaders:KnownNetworks:0"] = network,
        }));
        Assert.Contains("Chatroom:ForwardedHeaders:KnownNetworks", failure.Message);
    }

    [Fact]
    public async Task WithATrustedProxyTheServiceStarts()
    {
        await using var host = await ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Chatroom:ForwardedHeaders:KnownNetworks:0"] = "10.42.0.0/16",
        });
        using var health = await host.Http.GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode);
    }
}
