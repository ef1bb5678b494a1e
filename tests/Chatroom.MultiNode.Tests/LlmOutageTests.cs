using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;
using Chatroom.Testing.Traffic;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>
/// The LLM tier's model goes down, turns slow (30 s) and hangs while chat traffic flows through the standalone host
/// with a room whose policy sends every message to the LLM. Chat does not wait on analysis, so its send→deliver
/// latency is measured against a room that never asks the LLM (printed, not asserted); verdicts fall back to the
/// embedded tier and say so (<c>fallback</c>), the circuit breaker opens, and it closes again once the model answers.
/// </summary>
public sealed partial class LlmOutageTests(ITestOutputHelper output)
{
    private const int Members = 3;
    private const int AcksPerPhase = 45;
    private const string LlmRoom = "llm-always";
    private const string PlainRoom = "llm-never";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Traffic keeps flowing this long in each fault phase: longer than the breaker's sampling window.</summary>
    private static readonly TimeSpan FaultPhase = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task ChatIsUnaffectedAndVerdictsFallBackWhileTheModelIsDownSlowOrHung()
    {
        var fake = await FakeOllamaServer.StartAsync();
        var port = fake.Endpoint.Port;
        fake.Responder = Healthy;
        using var data = new TempDirectory("chatroom-llm-outage");
        var environment = new Dictionary<string, string>
        {
            ["Chatroom__DataDirectory"] = data.Path,
            ["Chatroom__Auth__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Chatroom__Admin__Password"] = "llm-outage-admin",
            ["Chatroom__Auth__StaffRequireTwoFactor"] = "false",
            ["Chatroom__Api__SignInsPerMinute"] = "1000",
            ["ConnectionStrings__analysis-model"] = $"Endpoint=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};Model={fake.ModelName}",
            [$"Chatroom__Analysis__Rooms__{LlmRoom}__Llm"] = "Always",
            [$"Chatroom__Analysis__Rooms__{PlainRoom}__Llm"] = "Never",
            // Short, so the test takes seconds: a request gives up after 2 s; half the requests of the last 6 s failing
            // (at least two) open the circuit for 3 s. A fault phase lasts longer than the window, so the circuit must open in it.
            ["Chatroom__Moderation__LlmClient__AttemptTimeout"] = "00:00:02",
            ["Chatroom__Moderation__LlmClient__TotalTimeout"] = "00:00:03",
            ["Chatroom__Moderation__LlmClient__MaxRetries"] = "0",
            ["Chatroom__Moderation__LlmClient__BreakerMinimumThroughput"] = "2",
            ["Chatroom__Moderation__LlmClient__BreakerSamplingDuration"] = "00:00:06",
            ["Chatroom__Moderation__LlmClient__BreakDuration"] = "00:00:03",
        };
        try
        {
            await using var host = await ChildProcess.StartAsync(new ChildProcessOptions("standalone", MultiNodeFixture.ServicePath("Chatroom.Standalone")) { Environment = environment });
            using var api = new ChatApiClient(host.BaseAddress);
            var admin = await api.AdminTokenAsync("llm-outage-admin");
            await api.CreateRoomAsync(admin, LlmRoom);
            await api.CreateRoomAsync(admin, PlainRoom);
            await using var adminClient = await api.ConnectWithTokenAsync(admin);
            await using var probe = await api.ConnectAsync("probe");
            await probe.InvokeAsync("JoinRoom", LlmRoom, null);
            var phases = new Phases(api, adminClient, admin, output);

            try
            {
                var baseline = await phases.RunAsync("no LLM (room policy Never)", PlainRoom);
                Assert.All(baseline.Verdicts, v => Assert.Equal(("embedded", (string?)null), v));

                // The first request pays for connecting and JIT; the healthy phase starts once the model has answered once.
                await phases.WaitForCircuitToCloseAsync(probe, LlmRoom, "after start-up");
                var healthy = await phases.RunAsync("LLM healthy", LlmRoom);
                Assert.All(healthy.Verdicts, v => Assert.Equal(("llm", (string?)null), v));

                await fake.DisposeAsync();
                AssertFellBack(await phases.RunAsync("LLM down (connection refused)", LlmRoom, FaultPhase));
                fake = await FakeOllamaServer.StartAsync(port);
                fake.Responder = Healthy;
                await phases.WaitForCircuitToCloseAsync(probe, LlmRoom);

                fake.Responder = body => Healthy(body).After(TimeSpan.FromSeconds(30));
                AssertFellBack(await phases.RunAsync("LLM slow (answers after 30 s)", LlmRoom, FaultPhase));
                fake.Responder = Healthy;
                await phases.WaitForCircuitToCloseAsync(probe, LlmRoom);

                fake.Responder = _ => FakeLlmReply.Hang();
                AssertFellBack(await phases.RunAsync("LLM hung (never answers)", LlmRoom, FaultPhase));
                fake.Responder = Healthy;
                await phases.WaitForCircuitToCloseAsync(probe, LlmRoom);

                var metrics = await MetricsAsync(api);
                output.WriteLine($"chatroom_llm_requests_total by outcome (purpose moderation): {string.Join(", ", metrics.Select(m => $"{m.Key} {m.Value}"))}");
                Assert.True(metrics.GetValueOrDefault("circuit_open") > 0, "the metrics show no request refused by an open circuit");
                Assert.True(metrics.GetValueOrDefault("timeout") > 0, "the metrics show no timed-out request");
            }
            catch
            {
                output.WriteLine(host.Output);
                throw;
            }
        }
        finally
        {
            await fake.DisposeAsync();
        }
    }

    /// <summary>Every verdict of the phase is the embedded one, marked as a fallback, and the circuit opened at some point.</summary>
    private static void AssertFellBack(PhaseResult phase)
    {
        Assert.All(phase.Verdicts, v =>
        {
            Assert.Equal("embedded", v.Tier);
            Assert.NotNull(v.Fallback);
        });
        Assert.Contains(phase.Verdicts, v => v.Fallback == "circuit_open");
    }

    /// <summary>A well-formed answer for up to 64 numbered messages (extra ids are ignored by the parser).</summary>
    private static FakeLlmReply Healthy(JsonElement request) => FakeLlmReply.Json(new
    {
        verdicts = Enumerable.Range(1, 64).Select(id => new
        {
            id,
            mood = "neutral",
            moodScore = 0.0,
            safety = "safe",
            unsafeScore = 0.02,
            categories = Array.Empty<string>(),
        }).ToArray(),
    });

    private static async Task<Dictionary<string, long>> MetricsAsync(ChatApiClient api)
    {
        var text = await api.Http.GetStringAsync("/metrics");
        return MetricLine().Matches(text)
            .Where(m => m.Groups["labels"].Value.Contains("purpose=\"moderation\"", StringComparison.Ordinal))
            .GroupBy(m => OutcomeLabel().Match(m.Groups["labels"].Value).Groups[1].Value)
            .ToDictionary(g => g.Key, g => g.Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex(@"^chatroom_llm_requests_total\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();

    [GeneratedRegex("outcome=\"([^\"]*)\"")]
    private static partial Regex OutcomeLabel();

    private sealed record PhaseResult(string Name, TrafficReport Report, IReadOnlyList<(string Tier, string? Fallback)> Verdicts);

    /// <summary>Runs traffic phase by phase, each in a room's next stretch of ids, and collects that stretch's verdicts.</summary>
    private sealed class Phases(ChatApiClient api, HubClient adminClient, string admin, ITestOutputHelper output)
    {
        private readonly Dictionary<string, int> _logged = new(StringComparer.Ordinal);
        private int _phase;

        public async Task<PhaseResult> RunAsync(string name, string room, TimeSpan? atLeast = null)
        {
            var clock = Stopwatch.StartNew();
            var from = _logged.GetValueOrDefault(room);
            await using var traffic = new ChatTraffic(api, [room], (_, token) => api.ConnectWithTokenAsync(token),
                new TrafficOptions { Interval = TimeSpan.FromMilliseconds(100), Reconnect = false, NamePrefix = $"p{++_phase}-" });
            await traffic.StartAsync(Members);
            await traffic.WaitForAcknowledgedAsync(AcksPerPhase, Patience);
            if (atLeast - clock.Elapsed is { Ticks: > 0 } left)
            {
                await Task.Delay(left);
            }

            var report = await traffic.StopAsync(admin);
            var to = report.LogLengths[room];
            _logged[room] = to;
            var verdicts = new List<(string, string?)>();
            for (var id = from + 1; id <= to; id++)
            {
                var verdict = await VerdictAsync(room, id, Patience);
                verdicts.Add(Describe(verdict));
            }

            output.WriteLine($"{name}: {report}");
            output.WriteLine($"  verdicts: {string.Join(", ", verdicts.GroupBy(v => v).Select(g => $"{g.Key.Item1}{(g.Key.Item2 is null ? "" : "/fallback " + g.Key.Item2)} {g.Count()}"))}");
            Assert.Equal(0, report.MissingFromLog);
            Assert.Equal(0, report.Lost);
            Assert.Empty(report.Refused);
            return new PhaseResult(name, report, verdicts);
        }

        /// <summary>Sends a message now and then until one gets an LLM verdict: the circuit let a request through and it succeeded.</summary>
        public async Task WaitForCircuitToCloseAsync(HubClient probe, string room, string since = "after the model recovered")
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var id = (await probe.InvokeAsync("SendMessage", room, "probe", Guid.NewGuid().ToString("N"))).GetProperty("id").GetInt64();
                _logged[room] = (int)id;
                if (Describe(await VerdictAsync(room, id, Patience)).Tier == "llm")
                {
                    output.WriteLine($"  first LLM verdict {clock.ElapsedMilliseconds} ms {since} (the circuit is closed).");
                    return;
                }

                Assert.True(clock.Elapsed < Patience, "the circuit never closed again after the model recovered");
                await Task.Delay(500);
            }
        }

        private async Task<JsonElement> VerdictAsync(string room, long id, TimeSpan timeout) =>
            (await adminClient.WaitForEventAsync("analysis", e => e.GetProperty("kind").GetString() == "verdict"
                && e.GetProperty("room").GetString() == room && e.GetProperty("messageId").GetInt64() == id, timeout)).GetProperty("verdict");

        private static (string Tier, string? Fallback) Describe(JsonElement verdict) =>
            (verdict.GetProperty("tier").GetString()!,
             verdict.TryGetProperty("fallback", out var fallback) && fallback.ValueKind == JsonValueKind.String ? fallback.GetString() : null);
    }
}
