using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;
using Xunit.Abstractions;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// A storm of connections from one address (127.0.0.2, the "attacker") gets no more than the per-address limit; the
/// rest are refused with 429 <c>too_many_connections</c> before the WebSocket upgrade, while users on another address
/// (127.0.0.1) connect and chat as usual.
/// </summary>
public sealed class ConnectionLimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Limit = 20;
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["Chatroom:Sockets:MaxConnectionsPerAddress"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AThousandConnectionsFromOneAddressGetTheLimitAndTheRestAre429()
    {
        var token = await _host.Api.GuestTokenAsync("storm");
        var open = new List<RawHubSocket>();
        var refused = 0;
        var other = new List<string>();
        var started = Stopwatch.StartNew();
        try
        {
            using var gate = new SemaphoreSlim(50);
            var attempts = Enumerable.Range(0, 1000).Select(async _ =>
            {
                await gate.WaitAsync();
                try
                {
                    var socket = await RawHubSocket.OpenAsync(_host.Address, token, Attacker);
                    lock (open)
                    {
                        open.Add(socket);
                    }
                }
                catch (WebSocketException e) when (e.Message.Contains("429", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref refused);
                }
                catch (WebSocketException e)
                {
                    lock (other)
                    {
                        other.Add(e.Message);
                    }
                }
                finally
                {
                    gate.Release();
                }
            });
            await Task.WhenAll(attempts);
            output.WriteLine($"1000 attempts from {Attacker} in {started.ElapsedMilliseconds} ms: {open.Count} open, {refused} refused with 429, {other.Count} other failures");
            Assert.Empty(other);
            Assert.Equal(Limit, open.Count);
            Assert.Equal(1000 - Limit, refused);

            // Negotiate is refused the same way, as problem+json with the stable code.
            using var http = new HttpClient(RawHubSocket.HandlerFrom(Attacker)) { BaseAddress = _host.Address };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/chat/negotiate?negotiateVersion=1");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var negotiate = await http.SendAsync(request);
            Assert.Equal((429, "too_many_connections"), await ChatApiClient.ProblemAsync(negotiate));
            Assert.NotNull(negotiate.Headers.RetryAfter);

            // Everyone else is unaffected.
            await using var user = await _host.Api.ConnectAsync("neighbour");
            await user.InvokeAsync("JoinRoom", "lobby", null);
            await user.InvokeAsync("SendMessage", "lobby", "the storm is not my problem", "n-1");
            await user.WaitForEventAsync("message", m => m.GetProperty("text").GetString() == "the storm is not my problem");
        }
        finally
        {
            foreach (var socket in open)
            {
                await socket.DisposeAsync();
            }
        }

        // Closed connections give their places back.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var again = await RawHubSocket.ConnectAsync(_host.Address, token, Attacker);
                break;
            }
            catch (WebSocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task AForwardedAddressCountsOnlyFromATrustedProxy()
    {
        var token = await _host.Api.GuestTokenAsync("spoofer");
        var held = new List<RawHubSocket>();
        try
        {
            // No trusted proxy configured: X-Forwarded-For is ignored, so naming other addresses does not help.
            for (var i = 0; i < Limit; i++)
            {
                held.Add(await RawHubSocket.OpenAsync(_host.Address, token, Attacker, forwardedFor: $"198.51.100.{i}"));
            }

            var spoofed = await Assert.ThrowsAsync<WebSocketException>(() => RawHubSocket.OpenAsync(_host.Address, token, Attacker, forwardedFor: "198.51.100.200"));
            Assert.Contains("429", spoofed.Message);
        }
        finally
        {
            foreach (var socket in held)
            {
                await socket.DisposeAsync();
            }
        }

        // Behind a trusted proxy (here: loopback plays the Ingress) each forwarded client address has its own budget.
        using var data = new TempDirectory();
        await using var proxied = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Sockets:MaxConnectionsPerAddress"] = "2",
            ["Chatroom:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
        });
        var proxiedToken = await proxied.Api.GuestTokenAsync("behind-ingress");
        await using var a1 = await RawHubSocket.OpenAsync(proxied.Address, proxiedToken, Attacker, forwardedFor: "203.0.113.7");
        await using var a2 = await RawHubSocket.OpenAsync(proxied.Address, proxiedToken, Attacker, forwardedFor: "203.0.113.7");
        var third = await Assert.ThrowsAsync<WebSocketException>(() => RawHubSocket.OpenAsync(proxied.Address, proxiedToken, Attacker, forwardedFor: "203.0.113.7"));
        Assert.Contains("429", third.Message);
        await using var other = await RawHubSocket.OpenAsync(proxied.Address, proxiedToken, Attacker, forwardedFor: "203.0.113.8");
        Assert.Equal(WebSocketState.Open, other.State);
    }
}
