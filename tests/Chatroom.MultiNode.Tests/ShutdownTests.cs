using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>
/// Each service, run as its own process, exits after SIGTERM within its host's shutdown budget (HostOptions'
/// ShutdownTimeout, 30 s by default) rather than being killed at the end of it (issue 25: analysis and web took
/// 10-25 s). The time is printed; the fixture starts the stopped processes again for the next test.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class ShutdownTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(30);

    [Fact]
    public Task EveryServiceExitsAfterSigterm() => cluster.RunAsync(output, async () =>
    {
        // A socket node with a person connected, so its shutdown has a connection to close.
        var token = await cluster.ApiClient.GuestTokenAsync("Ana");
        await using var ana = await Chatroom.Testing.SignalR.HubClient.ConnectAsync(cluster.SocketB.BaseAddress, "/hubs/chat", token);

        foreach (var process in new[] { cluster.Analysis, cluster.SocketB, cluster.Api })
        {
            var took = await process.TerminateAsync(ShutdownBudget);
            output.WriteLine($"{process.Name}: exited {took.TotalSeconds:0.00} s after SIGTERM");
            Assert.False(process.IsRunning);
        }
    });
}
