using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chatroom.Testing.Bridges;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// The Grafana dashboards query exactly what the product exports: a real Prometheus scrapes a real host that served
/// chat, moderation and an agent reply, and every panel's query of every dashboard runs on it and returns series.
/// Alone, because a meter listener sees every host's meters in this process.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed partial class GrafanaDashboardTests
{
    private static readonly string[] Dashboards =
        ["chatroom-overview.json", "chatroom-moderation.json", "chatroom-llm.json", "chatroom-service-health.json"];

    [Fact]
    public async Task EveryDashboardQueryRunsOnARealPrometheusAndReturnsSeries()
    {
        var folder = Path.GetDirectoryName(RepositoryFile("grafana/dashboards/" + Dashboards[0]))!;
        Assert.Equal(Dashboards.Order(), Directory.GetFiles(folder, "*.json").Select(Path.GetFileName).Order());
        var queries = new List<(string Dashboard, string Panel, string Expr)>();
        foreach (var file in Dashboards)
        {
            var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, file)))!;
            Assert.Equal(Path.GetFileNameWithoutExtension(file), dashboard["uid"]!.GetValue<string>());
            var panels = dashboard["panels"]!.AsArray();
            Assert.NotEmpty(panels);
            queries.AddRange(panels.SelectMany(p => p!["targets"]!.AsArray()
                .Select(t => (file, p["title"]!.GetValue<string>(), t!["expr"]!.GetValue<string>()))));
        }

        using var data = new TempDirectory();
        await using var ollama = await FakeOllamaServer.StartAsync();
        ollama.DefaultReply = FakeLlmReply.Text("Hello!", promptTokens: 80, completionTokens: 5);
        // The safety judge answers as Llama Guard does, so the escalation panels have series.
        var guard = FakeSafetyModel.LlamaGuard(text => text.Contains("kill yourself", StringComparison.Ordinal) ? ["S11"] : []);
        ollama.Responder = body => body.GetProperty("model").GetString() == "llama-guard3:1b" ? guard(body) : ollama.DefaultReply;
        // A bridge to a peer on loopback, so the bridge panels have series (ana's messages in the lobby go out).
        await using var peer = await BridgePeer.StartAsync(FreePort.Next());
        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:reasoning-model"] = $"Endpoint={ollama.Endpoint};Model=fake-model",
            ["ConnectionStrings:safety-model"] = $"Endpoint={ollama.Endpoint};Model=llama-guard3:1b",
            ["Chatroom:Bridges:grafana:Url"] = peer.Url,
            ["Chatroom:Bridges:grafana:RoomMap:lobby"] = "general",
        });
        await using (var ana = await host.Api.ConnectAsync("ana"))
        {
            await ana.InvokeAsync("JoinRoom", "lobby", null);
            await ana.InvokeAsync("SendMessage", "lobby", "what a lovely morning", "g-1");
            await ana.InvokeAsync("SendMessage", "lobby", "you are a worthless idiot, go kill yourself", "g-2");
            await Assert.ThrowsAnyAsync<Exception>(() => ana.InvokeAsync("SendMessage", "lobby", " ", "g-3"));
            await ana.InvokeAsync("SendMessage", "lobby", "@assistant hi", "g-4");
            await AgentTests.AgentReplyAsync(ana, "assistant");

            // Members stay connected while Prometheus scrapes, so the connection and room gauges are not zero.
            // Each family appears with its first measurement, and those come in the order the work happens (the unsafe
            // verdict before the flag raised on it, both after the safety judge's answer): wait for all of them.
            var families = queries.SelectMany(q => MetricName().Matches(q.Expr).Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", string.Empty)))
                .Distinct().ToList();
            var exported = await WaitForMetricsAsync(host, families);
            foreach (var family in families)
            {
                Assert.True(exported.Contains($"# TYPE {family} ", StringComparison.Ordinal), $"a dashboard queries {family}, which /metrics does not export");
            }

            await using var prometheus = await PrometheusProcess.StartAsync(host.Address);
            await prometheus.WaitForScrapesAsync(3);
            var empty = new List<string>();
            foreach (var (dashboard, panel, expr) in queries)
            {
                var result = await prometheus.QueryAsync(expr);
                Assert.True(result["status"]!.GetValue<string>() == "success", $"{dashboard} / {panel}: {expr}: {result}");
                if (result["data"]!["result"]!.AsArray().Count == 0)
                {
                    empty.Add($"{dashboard} / {panel}: {expr}");
                }
            }

            Assert.True(empty.Count == 0, "queries without series:\n" + string.Join("\n", empty));
        }
    }

    /// <summary>/metrics once it has every family, or as it is after 30 s (the caller names what is missing).</summary>
    private static async Task<string> WaitForMetricsAsync(StandaloneHost host, IReadOnlyList<string> families)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var text = await host.Api.Http.GetStringAsync("/metrics");
            if (families.All(family => text.Contains($"# TYPE {family} ", StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(200);
        }
    }

    private static string RepositoryFile(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} was not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"\b(?:chatroom|http_server|http_client|signalr|kestrel|aspnetcore|dotnet|process|gen_ai)_[a-z0-9_]+")]
    private static partial Regex MetricName();

    /// <summary>Debian's <c>prometheus</c> on a free loopback port, scraping the host every second; killed on dispose.</summary>
    private sealed class PrometheusProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly TempDirectory _directory;
        private readonly HttpClient _http;

        private PrometheusProcess(Process process, TempDirectory directory, Uri address)
        {
            _process = process;
            _directory = directory;
            _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        }

        public static async Task<PrometheusProcess> StartAsync(Uri target)
        {
            var directory = new TempDirectory("chatroom-prometheus");
            var config = Path.Combine(directory.Path, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: chatroom
                    static_configs:
                      - targets: ["{target.Authority}"]
                """);
            var port = FreePort.Next();
            var start = new ProcessStartInfo("prometheus",
                [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.Path, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new PrometheusProcess(process, directory, new Uri($"http://127.0.0.1:{port}"));
        }

        public async Task<JsonNode> QueryAsync(string query) =>
            JsonNode.Parse(await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)))!;

        /// <summary>Waits until the target is up and has been scraped <paramref name="scrapes"/> times.</summary>
        public async Task WaitForScrapesAsync(int scrapes)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    var result = await QueryAsync("count_over_time(up{job=\"chatroom\"}[1m])");
                    var samples = result["data"]!["result"]!.AsArray();
                    if (samples.Count > 0 && double.Parse(samples[0]!["value"]![1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= scrapes &&
                        (await QueryAsync("up{job=\"chatroom\"}"))["data"]!["result"]![0]!["value"]![1]!.GetValue<string>() == "1")
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Prometheus is still starting.
                }

                Assert.True(DateTime.UtcNow < deadline, "Prometheus did not scrape the host in 30 s");
                await Task.Delay(250);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            _directory.Dispose();
        }
    }
}
