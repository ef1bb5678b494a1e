using Chatroom.Core.Queues;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Standalone;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.LoadGen;

/// <summary>
/// Shows that chat delivery does not wait on analysis: the same chat load runs once with analysis keeping up
/// (embedded tier only) and once with the analysis queue saturated (every message sent to an LLM that takes
/// 2 s per request), and compares the chat latencies and the analysis backlog.
/// </summary>
public static class SplitQueues
{
    public static async Task RunAsync(int clients, int perClient)
    {
        await using var slowModel = await FakeOllamaServer.StartAsync();
        slowModel.Responder = _ => FakeLlmReply.Json(new { verdicts = Array.Empty<object>() }).After(TimeSpan.FromSeconds(2));

        var baseline = await RunScenarioAsync("analysis keeping up (embedded tier)", clients, perClient, new Dictionary<string, string?>());
        var saturated = await RunScenarioAsync("analysis saturated (LLM always, 2 s per request)", clients, perClient, new Dictionary<string, string?>
        {
            ["ConnectionStrings:analysis-model"] = $"Endpoint={slowModel.Endpoint};Model=fake-model",
            ["Chatroom:Moderation:Llm"] = "Always",
            ["Chatroom:Moderation:LlmClient:AttemptTimeout"] = "00:00:05",
            ["Chatroom:Moderation:LlmClient:MaxRetries"] = "0",
        });

        Console.WriteLine();
        Console.WriteLine("| scenario | send→ack p50 / p99 | send→delivered p50 / p99 | analysis backlog at the end |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, result, backlog) in new[] { baseline, saturated })
        {
            result.Acks.Sort();
            result.Fanout.Sort();
            Console.WriteLine($"| {name} | {P(result.Acks, 0.5):F1} / {P(result.Acks, 0.99):F1} ms | {P(result.Fanout, 0.5):F1} / {P(result.Fanout, 0.99):F1} ms | {backlog} |");
        }
    }

    private static double P(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    private static async Task<(string Name, LoadResult Result, long Backlog)> RunScenarioAsync(
        string name, int clients, int perClient, Dictionary<string, string?> settings)
    {
        using var data = new TempDirectory("chatroom-bench");
        await using var host = await StandaloneHost.StartAsync(data.Path, settings);
        var result = await ChatLoad.RunAsync(host.Address, clients, perClient, "bench", TimeSpan.FromMilliseconds(125));
        var backlog = await host.Services.GetRequiredService<IWorkQueue>().BacklogAsync(QueueNames.Analysis, CancellationToken.None);
        Console.WriteLine($"{name}: {result.Messages} messages in {result.Seconds:F1} s, {result.Deliveries} deliveries");
        Console.WriteLine("  " + ChatLoad.Summary("send→ack", [.. result.Acks]));
        Console.WriteLine("  " + ChatLoad.Summary("send→delivered", [.. result.Fanout]));
        return (name, result, backlog);
    }
}
