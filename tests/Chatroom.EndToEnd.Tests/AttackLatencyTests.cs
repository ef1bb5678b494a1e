using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.SignalR;
using Xunit.Abstractions;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// What ordinary users feel while one address attacks: their send→deliver latency with and without a flood of
/// invocations, 1 MB frames and malformed frames (from 127.0.0.3) and a connection storm (from 127.0.0.2, so the storm
/// filling its address's places does not stop the other attacks). Figures are printed, not
/// asserted (a shared CI machine makes timings noise); every ordinary message must reach every ordinary user.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class AttackLatencyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Users = 4;
    private const int MessagesPerUser = 20;
    private const int StormLimit = 100;
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(250);
    private static readonly IPAddress Storm = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.3");

    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["Chatroom:Sockets:MaxConnectionsPerAddress"] = StormLimit.ToString(CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task OrdinaryUsersKeepChattingWhileOneAddressAttacks()
    {
        var owner = await _host.Api.GuestTokenAsync("owner");
        await _host.Api.CreateRoomAsync(owner, "calm");
        var users = new List<HubClient>();
        try
        {
            for (var i = 0; i < Users; i++)
            {
                var user = await _host.Api.ConnectAsync($"user-{i}");
                await user.InvokeAsync("JoinRoom", "calm", null);
                users.Add(user);
            }

            var quiet = await ChatAsync(users, "quiet");
            var attackerToken = await _host.Api.GuestTokenAsync("attacker");
            using var stop = new CancellationTokenSource();
            var attack = new AttackReport();
            var attacking = Task.WhenAll(
                Enumerable.Range(0, 4).Select(_ => FloodAsync(attackerToken, attack, stop.Token))
                    .Append(OversizeFramesAsync(attackerToken, attack, stop.Token))
                    .Append(MalformedFramesAsync(attackerToken, attack, stop.Token))
                    .Append(StormAsync(attackerToken, attack, stop.Token)));
            await Task.Delay(500);
            var underAttack = await ChatAsync(users, "attack");
            await stop.CancelAsync();
            await attacking;

            output.WriteLine($"send→deliver to {Users} users, {Users * MessagesPerUser} messages each phase ({Users * MessagesPerUser * Users} deliveries):");
            output.WriteLine($"  quiet:        p50 {Percentile(quiet, 0.50):F1} ms, p99 {Percentile(quiet, 0.99):F1} ms, max {quiet.Max():F1} ms");
            output.WriteLine($"  under attack: p50 {Percentile(underAttack, 0.50):F1} ms, p99 {Percentile(underAttack, 0.99):F1} ms, max {underAttack.Max():F1} ms");
            output.WriteLine($"  attack: {attack.FloodRefused} flooding calls refused (rate_limited), {attack.FloodsClosed} flooding connections closed (rate_limited) after {Describe(attack.FloodCloseMs)}; "
                             + $"{attack.OversizeClosed} 1 MB frames closed (payload_too_large) after {Describe(attack.OversizeCloseMs)}; "
                             + $"{attack.MalformedClosed} malformed frames closed (invalid_frame); storm: {attack.StormOpened} connections held, {attack.StormRefused} refused with 429");

            Assert.Equal(Users * MessagesPerUser * Users, quiet.Count);
            Assert.Equal(Users * MessagesPerUser * Users, underAttack.Count);
            Assert.True(attack.FloodRefused > 0 && attack.OversizeClosed > 0 && attack.MalformedClosed > 0 && attack.StormRefused > 0,
                "every kind of attack ran and was refused");
            using var health = await _host.Api.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            foreach (var user in users)
            {
                await user.DisposeAsync();
            }
        }
    }

    /// <summary>Each user sends at a steady pace; returns every send→deliver latency (ms) seen by every user.</summary>
    private static async Task<List<double>> ChatAsync(IReadOnlyList<HubClient> users, string phase)
    {
        var sent = new ConcurrentDictionary<string, long>();
        await Task.WhenAll(users.Select(async (user, u) =>
        {
            for (var i = 0; i < MessagesPerUser; i++)
            {
                var text = $"{phase} {u}-{i}";
                sent[text] = Stopwatch.GetTimestamp();
                await user.InvokeAsync("SendMessage", "calm", text, $"{phase}-{u}-{i}");
                await Task.Delay(SendInterval);
            }
        }));

        var latencies = new List<double>();
        foreach (var user in users)
        {
            foreach (var text in sent.Keys)
            {
                await user.WaitForEventAsync("message", m => m.GetProperty("text").GetString() == text, TimeSpan.FromSeconds(30));
            }

            foreach (var e in user.Events.Where(e => e.Target == "message"))
            {
                if (e.Argument.GetProperty("text").GetString() is { } text && sent.TryGetValue(text, out var at))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(at, e.ReceivedTimestamp).TotalMilliseconds);
                }
            }
        }

        return latencies;
    }

    /// <summary>Typing calls as fast as the socket takes them, counting refusals, until the server closes it; then again.</summary>
    private async Task FloodAsync(string token, AttackReport report, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await using var raw = await TryConnectAsync(token);
            if (raw is null)
            {
                continue;
            }

            var started = Stopwatch.StartNew();
            var closed = raw.ClosedAsync(TimeSpan.FromSeconds(30), frame =>
            {
                if (frame.TryGetProperty("error", out var error) && error.GetString()!.Contains("rate_limited: ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref report.FloodRefused);
                }
            });
            for (var i = 0; !closed.IsCompleted && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await raw.InvokeAsync(i.ToString(CultureInfo.InvariantCulture), "Typing", """["calm"]""", stop);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    break;
                }
            }

            if (stop.IsCancellationRequested)
            {
                await raw.DisposeAsync();
            }

            var (close, _) = await closed;
            if (CloseError(close).Contains("rate_limited: ", StringComparison.Ordinal))
            {
                report.RecordFloodClose(started.Elapsed.TotalMilliseconds);
            }
        }
    }

    private async Task OversizeFramesAsync(string token, AttackReport report, CancellationToken stop)
    {
        var huge = "{\"type\":1,\"invocationId\":\"1\",\"target\":\"SendMessage\",\"arguments\":[\"calm\",\"" + new string('x', 1024 * 1024) + "\",\"big\"]}\u001e";
        while (!stop.IsCancellationRequested)
        {
            await using var raw = await TryConnectAsync(token);
            if (raw is null)
            {
                continue;
            }

            var started = Stopwatch.StartNew();
            try
            {
                await raw.SendTextAsync(huge, stop);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server may close before the whole megabyte is in.
            }

            var (close, _) = await raw.ClosedAsync(TimeSpan.FromSeconds(10));
            if (CloseError(close).Contains("payload_too_large: ", StringComparison.Ordinal))
            {
                report.RecordOversizeClose(started.Elapsed.TotalMilliseconds);
            }
        }
    }

    private async Task MalformedFramesAsync(string token, AttackReport report, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await using var raw = await TryConnectAsync(token);
            if (raw is null)
            {
                continue;
            }

            await raw.SendTextAsync("{\"type\":1,\"target\":[[[\u001e", CancellationToken.None);
            var (close, _) = await raw.ClosedAsync(TimeSpan.FromSeconds(10));
            if (CloseError(close).Contains("invalid_frame: ", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref report.MalformedClosed);
            }
        }
    }

    /// <summary>Opens as many connections as it can, 20 at a time, and holds them until the attack stops.</summary>
    private async Task StormAsync(string token, AttackReport report, CancellationToken stop)
    {
        var held = new ConcurrentBag<RawHubSocket>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
                {
                    try
                    {
                        held.Add(await RawHubSocket.OpenAsync(_host.Address, token, Storm, stop));
                        Interlocked.Increment(ref report.StormOpened);
                    }
                    catch (WebSocketException e) when (e.Message.Contains("429", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref report.StormRefused);
                    }
                    catch (Exception e) when (e is OperationCanceledException or WebSocketException)
                    {
                        // Stopped, or the server dropped a held socket that never sent a handshake.
                    }
                }));
            }
        }
        finally
        {
            foreach (var socket in held)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>A connection from the attacker's address, or null while the storm holds every place.</summary>
    private async Task<RawHubSocket?> TryConnectAsync(string token)
    {
        try
        {
            return await RawHubSocket.ConnectAsync(_host.Address, token, Attacker);
        }
        catch (Exception e) when (e is WebSocketException or InvalidOperationException)
        {
            await Task.Delay(50);
            return null;
        }
    }

    private static string CloseError(System.Text.Json.JsonElement? close) =>
        close is { } message && message.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "";

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Describe(ConcurrentBag<double> closes) =>
        closes.IsEmpty ? "-" : $"p50 {Percentile([.. closes], 0.5):F0} ms / max {closes.Max():F0} ms";

    private sealed class AttackReport
    {
        public readonly ConcurrentBag<double> FloodCloseMs = [];
        public readonly ConcurrentBag<double> OversizeCloseMs = [];
        public int FloodRefused;
        public int MalformedClosed;
        public int StormOpened;
        public int StormRefused;

        public int FloodsClosed => FloodCloseMs.Count;

        public int OversizeClosed => OversizeCloseMs.Count;

        public void RecordFloodClose(double ms) => FloodCloseMs.Add(ms);

        public void RecordOversizeClose(double ms) => OversizeCloseMs.Add(ms);
    }
}
