using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chatroom.LoadTest;

/// <summary>
/// Webhooks beside chat: the same chat load runs once without webhooks and once with subscriptions to every message —
/// fast receivers (answer at once), slow ones (answer after a few seconds) and hanging ones (never answer; the sender
/// gives up at its timeout) on a loopback receiver — and reports chat send→ack/deliver latency for both, the fast
/// receivers' deliveries per second and delay (message stored → request received), and how far the slow ones got.
/// Hosts the standalone product in-process, like <see cref="SplitQueues"/>.
/// </summary>
public static class WebhookLoad
{
    public sealed record Settings(int Clients, int PerClient, int Fast, int Slow, int Hanging, TimeSpan SlowAnswer, TimeSpan Timeout, TimeSpan Drain);

    public static async Task RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var baseline = await RunScenarioAsync("chat only", settings, withWebhooks: false, cancellationToken);
        var loaded = await RunScenarioAsync(
            $"chat + {settings.Fast} fast, {settings.Slow} slow ({settings.SlowAnswer.TotalSeconds:0.#} s), {settings.Hanging} hanging webhooks",
            settings, withWebhooks: true, cancellationToken);

        Console.WriteLine();
        Console.WriteLine("| scenario | messages | send→ack p50 / p99 | send→delivered p50 / p99 |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, report, _) in new[] { baseline, loaded })
        {
            Console.WriteLine($"| {name} | {report.Acked} | {report.AckMs.P50:F1} / {report.AckMs.P99:F1} ms | {report.DeliverMs.P50:F1} / {report.DeliverMs.P99:F1} ms |");
        }

        var hooks = loaded.Hooks!;
        Console.WriteLine();
        Console.WriteLine("| receivers | requests received | deliveries/s (first to last) | stored → received p50 / p99 / max |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var kind in new[] { "fast", "slow", "hang" })
        {
            var arrivals = hooks.Arrivals(kind);
            var delay = hooks.Delay(kind);
            Console.WriteLine($"| {kind} | {arrivals.Count} | {Rate(arrivals):F1} | {delay.P50:F0} / {delay.P99:F0} / {delay.Max:F0} ms |");
        }

        Console.WriteLine();
        Console.WriteLine($"Fast deliveries expected: {hooks.Expected("fast")}; still outstanding after the {settings.Drain.TotalSeconds:0} s drain: {Math.Max(0, hooks.Expected("fast") - hooks.Distinct("fast"))}.");
    }

    private static double Rate(IReadOnlyList<long> arrivals) =>
        arrivals.Count < 2 ? 0 : (arrivals.Count - 1) / Stopwatch.GetElapsedTime(arrivals[0], arrivals[^1]).TotalSeconds;

    private static async Task<(string Name, LoadReport Report, Receivers? Hooks)> RunScenarioAsync(
        string name, Settings settings, bool withWebhooks, CancellationToken cancellationToken)
    {
        using var data = new TempDirectory("chatroom-bench");
        await using var receivers = await Receivers.StartAsync(settings.SlowAnswer);
        var configuration = new Dictionary<string, string?>
        {
            // Every client signs in and connects from loopback: lift the per-address sign-in and connection limits.
            ["Chatroom:Api:SignInsPerMinute"] = "100000",
            ["Chatroom:Sockets:MaxConnectionsPerAddress"] = "100000",
            ["Chatroom:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Chatroom:Webhooks:Timeout"] = settings.Timeout.ToString("c", CultureInfo.InvariantCulture),
        };
        await using var host = await StandaloneHost.StartAsync(data.Path, configuration);
        if (withWebhooks)
        {
            var admin = await host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
            foreach (var (kind, n) in new[] { ("fast", settings.Fast), ("slow", settings.Slow), ("hang", settings.Hanging) })
            {
                for (var i = 0; i < n; i++)
                {
                    using var created = await host.Api.SendAsync(HttpMethod.Post, "/api/admin/webhooks", admin,
                        new { url = new Uri(receivers.Address, $"/{kind}/{i}").ToString(), events = new[] { "message.created" }, rooms = new[] { "*" } });
                    created.EnsureSuccessStatusCode();
                    receivers.Subscribed(kind);
                }
            }
        }

        // One room, each client sending every 125 ms (8/s, under the default 10/s per connection).
        var load = new LoadSettings(
            [host.Address], settings.Clients, 1, settings.Clients * 8.0, 40, TimeSpan.FromMinutes(10), (long)settings.Clients * settings.PerClient,
            TimeSpan.FromSeconds(30), 32, 64, [], name);
        var report = await new LoadRun(load, TextWriter.Null).RunAsync(cancellationToken);
        Console.WriteLine(report.ToMarkdown());
        if (!withWebhooks)
        {
            return (name, report, null);
        }

        // Let the fast receivers catch up (or show that they cannot), then stop: slow and hanging ones never finish here.
        receivers.Messages = report.Acked;
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.Drain.TotalSeconds * Stopwatch.Frequency);
        while (receivers.Distinct("fast") < receivers.Expected("fast") && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(200, cancellationToken);
        }

        return (name, report, receivers);
    }

    /// <summary>A Kestrel app on loopback: <c>/fast/i</c> answers 204 at once, <c>/slow/i</c> after a wait, <c>/hang/i</c> never.</summary>
    private sealed class Receivers : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _arrivals = new();
        private readonly ConcurrentDictionary<string, LatencyHistogram> _delays = new();
        private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _ids = new();
        private readonly ConcurrentDictionary<string, int> _subscriptions = new();
        private readonly CancellationTokenSource _stopping = new();

        private Receivers(WebApplication app) => _app = app;

        public Uri Address { get; private set; } = null!;

        public long Messages { get; set; }

        public static async Task<Receivers> StartAsync(TimeSpan slowAnswer)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var receivers = new Receivers(app);
            app.MapPost("/{kind}/{index:int}", async (string kind, int index, HttpRequest request) =>
            {
                var at = Stopwatch.GetTimestamp();
                using var body = await JsonDocument.ParseAsync(request.Body);
                var sentAt = body.RootElement.GetProperty("data").GetProperty("message").GetProperty("sentAt").GetDateTimeOffset();
                receivers.Record(kind, $"{index}/{request.Headers["webhook-id"]}", at, DateTimeOffset.UtcNow - sentAt);
                switch (kind)
                {
                    case "slow":
                        await Task.Delay(slowAnswer, receivers._stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                        break;
                    case "hang":
                        await Task.Delay(Timeout.InfiniteTimeSpan, receivers._stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                        break;
                }

                return Results.NoContent();
            });
            await app.StartAsync();
            receivers.Address = new Uri(app.Urls.First());
            return receivers;
        }

        public void Subscribed(string kind) => _subscriptions.AddOrUpdate(kind, 1, (_, n) => n + 1);

        public long Expected(string kind) => Messages * _subscriptions.GetValueOrDefault(kind);

        public long Distinct(string kind) => _ids.TryGetValue(kind, out var ids) ? ids.Count : 0;

        public IReadOnlyList<long> Arrivals(string kind) => _arrivals.TryGetValue(kind, out var queue) ? [.. queue.Order()] : [];

        public LatencySummary Delay(string kind) => _delays.GetOrAdd(kind, _ => new LatencyHistogram()).Summarise();

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _stopping.Dispose();
        }

        private void Record(string kind, string id, long at, TimeSpan delay)
        {
            _arrivals.GetOrAdd(kind, _ => new ConcurrentQueue<long>()).Enqueue(at);
            _ids.GetOrAdd(kind, _ => new ConcurrentDictionary<string, byte>()).TryAdd(id, 0);
            _delays.GetOrAdd(kind, _ => new LatencyHistogram()).Record(delay);
        }
    }
}
