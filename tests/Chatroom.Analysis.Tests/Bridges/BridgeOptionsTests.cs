using Chatroom.Analysis.Bridges;

namespace Chatroom.Analysis.Tests.Bridges;

/// <summary>A bridge's settings are checked at start-up, each problem named; the back-off doubles to its cap with jitter.</summary>
public sealed class BridgeOptionsTests
{
    [Fact]
    public void AValidBridgeHasNoProblems_AndItsDisplayUrlHidesTheQuery()
    {
        var bridge = Valid();
        bridge.Url = "wss://peer.example/ws?token=secret";

        Assert.Empty(bridge.Problems("matrix"));
        Assert.Equal("wss://peer.example/ws", bridge.DisplayUrl);
    }

    [Fact]
    public void WrongSettingsAreEachNamed()
    {
        var bridge = Valid();
        bridge.Url = "https://peer.example/ws";
        bridge.AuthHeader = new BridgeAuthHeader { Name = "Authorization" };
        bridge.RoomMap = new Dictionary<string, string> { ["lobby"] = "general", ["ops"] = "general", ["Bad Room!"] = "x" };
        bridge.MaxMessageBytes = 10;

        var problems = bridge.Problems("my bridge").ToList();

        Assert.Contains(problems, p => p.Contains("a bridge's name is", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith(":Url must be an absolute ws:// or wss:// URL without user info.", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(":AuthHeader needs a Name and a Value", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'Bad Room!' is not a valid room name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("each channel maps to one room", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(":MaxMessageBytes is 256-1048576", StringComparison.Ordinal));
        var failed = new BridgesOptionsValidator().Validate(null, new BridgesOptions { Bridges = { ["my bridge"] = bridge } });
        Assert.True(failed.Failed);
    }

    [Fact]
    public void TheBackoffDoublesUpToItsCap_EachWaitInItsUpperHalf()
    {
        var random = new Random(7);
        var initial = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(30);
        for (var failures = 1; failures <= 12; failures++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures - 1)));
            var wait = BridgeBackoff.Delay(failures, initial, max, random);
            Assert.InRange(wait, ceiling / 2, ceiling);
        }
    }

    private static BridgeOptions Valid() => new()
    {
        Url = "wss://peer.example/ws",
        RoomMap = new Dictionary<string, string> { ["lobby"] = "general" },
    };
}
