using System.Diagnostics;
using System.Net;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.SignalR;
using Xunit.Abstractions;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// One connection flooding any hub method is refused with <c>rate_limited</c> once past its invocation budget and
/// closed (with the reason, no reconnect) when it keeps going; everyone else chats on.
/// </summary>
public sealed class FloodTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["Chatroom:Sockets:InvocationsPerSecond"] = "2",
        ["Chatroom:Sockets:InvocationBurst"] = "10",
        ["Chatroom:Sockets:RefusalsBeforeClose"] = "30",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task EveryMethodCountsAndACallerPastTheBudgetIsRefusedButNotClosed()
    {
        await using var client = await _host.Api.ConnectAsync("eager");
        var refusals = new List<string>();
        foreach (var (method, arguments) in new (string, object?[])[]
                 {
                     ("JoinRoom", ["lobby", null]), ("Typing", ["lobby"]), ("LeaveRoom", ["lobby"]), ("NoSuchMethod", []),
                     ("JoinRoom", ["lobby", null]), ("Typing", ["lobby"]), ("Typing", ["lobby"]), ("LeaveRoom", ["lobby"]),
                     ("JoinRoom", ["lobby", null]), ("Typing", ["lobby"]), ("Typing", ["lobby"]), ("Typing", ["lobby"]),
                     ("Typing", ["lobby"]), ("Typing", ["lobby"]), ("Typing", ["lobby"]), ("Typing", ["lobby"]),
                 })
        {
            try
            {
                await client.InvokeAsync(method, arguments);
            }
            catch (HubInvocationException e) when (e.Code is "rate_limited")
            {
                refusals.Add(e.Refusal);
            }
            catch (HubInvocationException e) when (e.Code is "invalid_request")
            {
                // NoSuchMethod: refused for what it is, and counted all the same.
            }
        }

        output.WriteLine($"16 calls in a row with a budget of 10 + 2/s: {refusals.Count} refused; first: {refusals.FirstOrDefault()}");
        Assert.NotEmpty(refusals);
        Assert.Contains("wait", refusals[0]);
        Assert.False(client.Closed.IsCompleted, "a few refusals do not close the connection");
    }

    [Theory]
    [InlineData("Typing")]
    [InlineData("JoinRoom")]
    [InlineData("LeaveRoom")]
    [InlineData("NoSuchMethod")]
    public async Task AConnectionThatKeepsFloodingIsClosedWithTheReason(string method)
    {
        await using var bystander = await _host.Api.ConnectAsync("bystander");
        await bystander.InvokeAsync("JoinRoom", "lobby", null);
        await using var flooder = await _host.Api.ConnectAsync("flooder");
        object?[] arguments = method switch
        {
            "JoinRoom" => ["lobby", null],
            "NoSuchMethod" => [],
            _ => ["lobby"],
        };

        var started = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, 500).Select(async _ =>
        {
            try
            {
                await flooder.InvokeAsync(method, arguments);
                return "ok";
            }
            catch (HubInvocationException e)
            {
                return e.Code;
            }
        }).ToList();
        var reason = await flooder.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        var closedAfter = started.Elapsed;
        var outcomes = await Task.WhenAll(calls);
        var counts = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{method} x500: closed after {closedAfter.TotalMilliseconds:0} ms with \"{reason}\"; outcomes {string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"))}");

        Assert.NotNull(reason);
        Assert.StartsWith("rate_limited: ", reason);
        Assert.True(counts.GetValueOrDefault("rate_limited") > 0);
        Assert.True(counts.GetValueOrDefault("ok") + counts.GetValueOrDefault("invalid_request") <= 10 + 2 * (int)Math.Ceiling(closedAfter.TotalSeconds + 1),
            "no more calls got through than the budget allows");

        using var health = await _host.Api.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await bystander.InvokeAsync("SendMessage", "lobby", "still chatting", "b-1");
        await bystander.WaitForEventAsync("message", m => m.GetProperty("text").GetString() == "still chatting");
    }
}
