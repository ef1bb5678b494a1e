using Chatroom.Testing.Hosting;

namespace Chatroom.EndToEnd.Tests;

/// <summary>Under Aspire, JoinRoom's <c>node</c> is the replica's name in the dashboard (issue 25).</summary>
public sealed class ReplicaNameTests
{
    [Fact]
    public async Task JoinRoomNamesTheNodeAsTheDashboardNamesTheReplica()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "socketserver",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=abcd1234",
        });
        await using var ana = await host.Api.ConnectAsync("ana");

        var joined = await ana.InvokeAsync("JoinRoom", "lobby", null);

        Assert.Equal("socketserver-abcd1234", joined.GetProperty("node").GetString());
    }
}
