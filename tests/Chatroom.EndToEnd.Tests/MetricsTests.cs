using System.Text.RegularExpressions;
using Chatroom.Testing.Hosting;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// Alone, not beside other tests: a meter listener sees every <c>Chatroom</c> meter in the process, so hosts of tests
/// running in parallel would add their counts to this host's scrape.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task MetricsAreValidPrometheusTextWithChatAndAspNetCoreInstruments()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path);
        await using (var client = await host.Api.ConnectAsync("metered"))
        {
            await client.InvokeAsync("JoinRoom", "lobby", null);
            await client.InvokeAsync("SendMessage", "lobby", "count me", "m-1");
            await Assert.ThrowsAnyAsync<Exception>(() => client.InvokeAsync("SendMessage", "lobby", "", "m-2"));
        }

        var text = await host.Api.Http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE chatroom_messages_total counter\n", text);
        Assert.Matches(Sample("chatroom_messages_total", "kind=\"user\"", "1"), text);
        Assert.Contains("# TYPE chatroom_refusals_total counter\n", text);
        Assert.Matches(Sample("chatroom_refusals_total", "code=\"empty_text\"", "1"), text);
        Assert.Contains("# TYPE chatroom_message_append_duration_seconds histogram\n", text);
        Assert.Contains("# TYPE chatroom_delivery_latency_seconds histogram\n", text);
        Assert.Contains("chatroom_message_append_duration_seconds_bucket", text);
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Contains("# TYPE chatroom_connections gauge", text);
        Assert.Contains("# TYPE signalr_server_active_connections gauge", text);

        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}");
    }

    [Fact]
    public async Task AModelCallShowsUpAsGenAiMetricsBesideTheChatroomLlmOnes()
    {
        using var data = new TempDirectory();
        await using var ollama = await Chatroom.Testing.FakeLlm.FakeOllamaServer.StartAsync();
        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:reasoning-model"] = $"Endpoint={ollama.Endpoint};Model=fake-model",
        });
        ollama.Enqueue(Chatroom.Testing.FakeLlm.FakeLlmReply.Text("Hello there.", promptTokens: 30, completionTokens: 4));
        await using (var client = await host.Api.ConnectAsync("metered"))
        {
            await client.InvokeAsync("JoinRoom", "lobby", null);
            await client.InvokeAsync("SendMessage", "lobby", "@assistant hi", "g-1");
            await AgentTests.AgentReplyAsync(client, "assistant");
        }

        var text = await host.Api.Http.GetStringAsync("/metrics");

        Assert.Contains("gen_ai_client_operation_duration_seconds_bucket", text);
        Assert.Contains("gen_ai_client_token_usage", text);
        Assert.Contains("gen_ai_token_type=\"input\"", text);
        Assert.Contains("chatroom_llm_requests_total{", text);
        Assert.Contains("purpose=\"agent:assistant\"", text);
        Assert.Contains("chatroom_llm_tokens_total{", text);
        // Agent Framework's meter records gen_ai.client.* for the agent run beside the model call's: still valid text.
        Assert.Contains("otel_scope_name=\"Experimental.Microsoft.Agents.AI\"", text);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}");
    }

    [Fact]
    public async Task HealthAndAliveAnswerInProduction()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path);
        Assert.Equal("Healthy", await host.Api.Http.GetStringAsync("/health"));
        Assert.Equal("Healthy", await host.Api.Http.GetStringAsync("/alive"));
    }

    /// <summary>A sample line of <paramref name="name"/> carrying <paramref name="label"/> (beside the exporter's <c>otel_scope_name</c>) with <paramref name="value"/>.</summary>
    private static Regex Sample(string name, string label, string value) =>
        new($"(?m)^{Regex.Escape(name)}\\{{[^}}\\n]*{Regex.Escape(label)}[^}}\\n]*\\}} {Regex.Escape(value)}$");
}
