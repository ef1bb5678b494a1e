using Chatroom.Core.Queues;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Standalone;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.LoadTest;

/// <summary>
/// Shows that chat delivery does not wait on analysis: the same chat load runs once with analysis keeping up
/// (embedded tier only) and once with the analysis queue saturated (every message sent to an LLM that takes
/// 2 s per request), and compares the chat latencies and the analysis backlog.
/// </summary>
public static class SplitQueues
{
    public static async Task RunAsync(int clients, int perClient, CancellationToken cancellationToken)
    {
        await using var slowModel = await FakeOllamaServer.StartAsync();
        slowModel.Responder = _ => FakeLlmReply.Json(new { verdicts = Array.Empty<object>() }).After(TimeSpan.FromSeconds(2));

        var baseline = await RunScenarioAsync("analysis keeping up (embedded tier)", clients, perClient, new Dictionary<string, string?>(), cancellationToken);
        var saturated = await RunScenarioAsync("analysis saturated (LLM always, 2 s per request)", clients, perClient, new Dictionary<string, string?>
        {
            ["ConnectionStrings:analysis-model"] = $"Endpoint={slowModel.Endpoint};Model=fake-model",
            ["Chatroom:Moderation:Llm"] = "Always",
            ["Chatroom:Moderation:LlmClient:AttemptTimeout"] = "00:00:05",
            ["Chatroom:Moderation:LlmClient:MaxRetries"] = "0",
        }, cancellationToken);

        Console.WriteLine();
        Console.WriteLine("| scenario | send→ack p50 / p99 | send→delivered p50 / p99 | analysis backlog at the end |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, report, backlog) in new[] { baseline, saturated })
        {
            Console.WriteLine($"| {name} | {report.AckMs.P50:F1} / {report.AckMs.P99:F1} ms | {report.DeliverMs.P50:F1} / {report.DeliverMs.P99:F1} ms | {backlog} |");
        }
    }

    private static async Task<(string Name, LoadReport Report, long Backlog)> RunScenarioAsync(
        string name, int clients, int perClient, Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        using var data = new TempDirectory("chatroom-bench");
        // Every client signs in and connects from loopback: lift the per-address sign-in and connection limits.
        settings["Chatroom:Api:SignInsPerMinute"] = "100000";
        settings["Chatroom:Sockets:MaxConnectionsPerAddress"] = "100000";
        await using var host = await StandaloneHost.StartAsync(data.Path, settings);
        // One room, each client sending every 125 ms (8/s, under the default 10/s per connection).
        var load = new LoadSettings(
            [host.Address], clients, 1, clients * 8.0, 40, TimeSpan.FromMinutes(10), (long)clients * perClient,
            TimeSpan.FromSeconds(30), 32, 64, [], name);
        var report = await new LoadRun(load, TextWriter.Null).RunAsync(cancellationToken);
        var backlog = await host.Services.GetRequiredService<IWorkQueue>().BacklogAsync(QueueNames.Analysis, cancellationToken);
        Console.WriteLine(report.ToMarkdown());
        return (name, report, backlog);
    }
}
