using System.Diagnostics;
using System.Globalization;
using Chatroom.Core.Errors;
using Chatroom.Core.Queues;
using Chatroom.Redis;
using Chatroom.Redis.Moderation;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Traffic;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>
/// Faults with traffic flowing across two socket servers on Redis (docs/reliability.md): each test reports
/// acknowledged / delivered / lost as <see cref="ChatTraffic"/> counts them and asserts that nothing acknowledged is lost.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeFaultTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private const int Members = 8;
    private const int AcksBeforeFault = 150;
    private const int AcksAfterFault = 150;
    private const int Backlog = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Long enough that the other members' messages are certainly missed and must be recovered on rejoining.</summary>
    private static readonly TimeSpan ReconnectBackoff = TimeSpan.FromSeconds(1);

    /// <summary>About 6 sends a second per member: under the default per-connection rate limit of 10.</summary>
    private static readonly TrafficOptions Pace = new() { Interval = TimeSpan.FromMilliseconds(150) };

    [Fact]
    public Task KillingOneOfTwoSocketServersLosesNoAcknowledgedMessage() => cluster.RunAsync(output, async () =>
    {
        var (owner, rooms) = await NewRoomsAsync();

        // Each room has members on both nodes (member i is in room i % 2, on node A or B by i / 2 % 2); whoever's node is gone reconnects to the other.
        await using var traffic = new ChatTraffic(cluster.ApiClient, rooms, (member, token) =>
        {
            var preferred = member / 2 % 2 == 0 ? cluster.SocketA : cluster.SocketB;
            var node = preferred.IsRunning ? preferred : preferred == cluster.SocketA ? cluster.SocketB : cluster.SocketA;
            return cluster.ConnectAsync(node, token);
        }, Pace with { ReconnectDelay = ReconnectBackoff });
        await traffic.StartAsync(Members);
        await traffic.WaitForAcknowledgedAsync(AcksBeforeFault, Patience);

        await cluster.SocketB.KillAsync();
        var killedAt = traffic.Acknowledged;
        await traffic.WaitForAcknowledgedAsync(killedAt + AcksAfterFault, Patience);

        var report = await traffic.StopAsync(owner);
        output.WriteLine($"Socket server B killed (SIGKILL) after {killedAt} acknowledged sends; its {Members / 2} members reconnected to A "
            + $"after a {ReconnectBackoff.TotalMilliseconds:0} ms back-off: connect and rejoin took p50 {(report.ReconnectP50 - ReconnectBackoff).TotalMilliseconds:0} ms, "
            + $"p99 {(report.ReconnectP99 - ReconnectBackoff).TotalMilliseconds:0} ms beyond it.");
        output.WriteLine(report.ToString());

        Assert.Equal(Members / 2, report.Reconnects);

        // Others kept sending during the back-off: what the moved members missed came back from JoinRoom(lastSeenId).
        Assert.True(report.Recovered > 0, "nothing was recovered by rejoining, so the test did not exercise recovery");
        Assert.Equal(0, report.MissingFromLog);
        Assert.True(report.LogIdsContiguous, "a room's log has a gap in its ids");
        Assert.Equal(0, report.Lost);
        Assert.Empty(report.Refused);
    });

    [Fact]
    public Task RestartingRedisLosesNoAcknowledgedMessageAndRefusesSendsMeanwhile() => cluster.RunAsync(output, async () =>
    {
        var (owner, rooms) = await NewRoomsAsync();
        await using var traffic = new ChatTraffic(cluster.ApiClient, rooms,
            (member, token) => cluster.ConnectAsync(member / 2 % 2 == 0 ? cluster.SocketA : cluster.SocketB, token), Pace);
        await traffic.StartAsync(Members);
        await traffic.WaitForAcknowledgedAsync(AcksBeforeFault, Patience);

        // SIGKILL: with appendfsync always, what Redis acknowledged is in its AOF.
        await cluster.Redis.KillAsync();
        var outage = Stopwatch.StartNew();
        var ackedAtKill = traffic.Acknowledged;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.Redis.RestartAsync();
        var down = outage.Elapsed;
        var back = Stopwatch.StartNew();
        var ackedAtRestart = traffic.Acknowledged;
        var refusedWhileDown = traffic.Refused.GetValueOrDefault(ErrorCodes.BackendUnavailable);

        await traffic.WaitForAcknowledgedAsync(ackedAtRestart + 1, Patience);
        var firstSuccess = back.Elapsed;
        await traffic.WaitForAcknowledgedAsync(ackedAtRestart + AcksAfterFault, Patience);

        var report = await traffic.StopAsync(owner);
        output.WriteLine($"Redis down {down.TotalSeconds:0.0} s (SIGKILL, restart on its AOF); acknowledged while down: {ackedAtRestart - ackedAtKill}; "
            + $"refused while down: {refusedWhileDown}; first successful send {firstSuccess.TotalMilliseconds:0} ms after Redis was back.");
        output.WriteLine(report.ToString());

        Assert.True(report.RefusedCount(ErrorCodes.BackendUnavailable) > 0, "no send was refused while Redis was down");
        Assert.Equal([ErrorCodes.BackendUnavailable], report.Refused.Keys);
        Assert.Equal(0, report.MissingFromLog);
        Assert.True(report.LogIdsContiguous, "a room's log has a gap in its ids");
        Assert.Equal(0, report.Lost);
    });

    [Fact]
    public Task KillingOneOfTwoAnalysisWorkersMidBacklogAnalysesEveryMessageOnce() => cluster.RunAsync(output, async () =>
    {
        var (admin, rooms) = await NewRoomsAsync();
        await using var adminClient = await cluster.ConnectAsync(cluster.SocketA, admin);
        await using var redis = await RedisConnectionConfiguration.ConnectAsync(cluster.Redis.ConnectionString);
        var backend = new RedisBackendOptions();
        var store = new RedisModerationStore(redis, Options.Create(backend));
        var stream = $"{backend.KeyPrefix}:{{queue:{QueueNames.Analysis}}}:stream";

        // No worker while the backlog builds up.
        await cluster.Analysis.KillAsync();
        await using var traffic = new ChatTraffic(cluster.ApiClient, rooms,
            (member, token) => cluster.ConnectAsync(member / 2 % 2 == 0 ? cluster.SocketA : cluster.SocketB, token), Pace);
        await traffic.StartAsync(Members);
        await traffic.WaitForAcknowledgedAsync(Backlog, Patience);
        var backlog = (int)await redis.GetDatabase().StreamLengthAsync(stream);

        // Two workers start on it; the first one seen holding entries it has not acknowledged is killed. It is frozen
        // (SIGSTOP) before its entries are counted again, so it cannot acknowledge them between the look and the kill.
        var drain = Stopwatch.StartNew();
        await using var second = await cluster.StartAnalysisAsync("analysis-2");
        await cluster.Analysis.RestartAsync();
        var workers = new[] { cluster.Analysis, second };
        (ChildProcess Worker, string Consumer, long Pending)? victim = null;
        while (victim is null)
        {
            Assert.True(drain.Elapsed < Patience, "no worker was ever seen holding unacknowledged entries");
            var pending = await redis.GetDatabase().StreamPendingAsync(stream, "workers");
            foreach (var consumer in pending.Consumers.Where(c => c.PendingMessageCount > 0))
            {
                if (workers.FirstOrDefault(w => OwnsConsumer(w, consumer.Name!)) is { } worker)
                {
                    var pid = ConsumerProcessId(consumer.Name!);
                    await SignalAsync(pid, "STOP");
                    var left = (await redis.GetDatabase().StreamPendingMessagesAsync(stream, "workers", 1000, consumer.Name)).Length;
                    if (left == 0)
                    {
                        // It acknowledged them after all: let it go on, and look again.
                        await SignalAsync(pid, "CONT");
                        continue;
                    }

                    await worker.KillAsync();
                    victim = (worker, consumer.Name!, left);
                    break;
                }
            }

            await Task.Delay(5);
        }

        var killedAt = drain.Elapsed;
        await traffic.WaitForAcknowledgedAsync(traffic.Acknowledged + 50, Patience);
        var report = await traffic.StopAsync(admin);

        // Every stored message (acknowledged or not) gets exactly one verdict: the survivor claims the dead worker's entries.
        var messages = report.LogLengths.SelectMany(l => Enumerable.Range(1, l.Value).Select(id => (Room: l.Key, Id: (long)id))).ToList();
        var missing = messages.ToList();
        while (missing.Count > 0 && drain.Elapsed < Patience * 2)
        {
            var still = new List<(string Room, long Id)>();
            foreach (var message in missing)
            {
                if (await store.GetVerdictAsync(message.Room, message.Id, CancellationToken.None) is null)
                {
                    still.Add(message);
                }
            }

            missing = still;
            await Task.Delay(missing.Count > 0 ? 200 : 0);
        }

        var drained = drain.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1));
        var events = adminClient.EventsOf("analysis")
            .Where(e => e.GetProperty("kind").GetString() == "verdict" && e.GetProperty("room").GetString() is { } room && rooms.Contains(room))
            .GroupBy(e => (e.GetProperty("room").GetString(), e.GetProperty("messageId").GetInt64()))
            .ToList();
        var duplicateEvents = events.Sum(g => g.Count() - 1);
        var counted = 0L;
        foreach (var room in rooms)
        {
            var analysis = await cluster.ApiClient.GetJsonAsync($"/api/admin/rooms/{room}/analysis", admin);
            counted += analysis["aggregates"]!["allTime"]!["total"]!.GetValue<long>();
        }

        output.WriteLine(report.ToString());
        output.WriteLine($"Backlog {backlog} entries when two workers started; killed {victim.Value.Worker.Name} ({victim.Value.Consumer}) after "
            + $"{killedAt.TotalMilliseconds:0} ms holding {victim.Value.Pending} unacknowledged entries; {messages.Count} messages stored; "
            + $"every one had a verdict {drained.TotalSeconds:0.0} s after the workers started; missing {missing.Count}; "
            + $"counted in aggregates {counted}; duplicate verdict events {duplicateEvents}.");

        Assert.True(victim.Value.Pending > 0, "the killed worker held no entries to reclaim");
        Assert.Empty(missing);
        Assert.Equal(messages.Count, counted);
        Assert.Equal(0, duplicateEvents);
        Assert.Equal(0, report.MissingFromLog);
        Assert.Equal(0, report.Lost);
    });

    /// <summary>Whether a worker consumer's name (<c>{machine}-{pid}-{random}-{n}</c>) is that process's or its child's (the timeout wrapper's dotnet).</summary>
    private static bool OwnsConsumer(ChildProcess worker, string consumer)
    {
        if (worker.ProcessId is not { } pid)
        {
            return false;
        }

        var children = File.Exists($"/proc/{pid}/task/{pid}/children") ? File.ReadAllText($"/proc/{pid}/task/{pid}/children") : "";
        return new[] { pid.ToString(CultureInfo.InvariantCulture) }.Concat(children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(p => consumer.Contains($"-{p}-", StringComparison.Ordinal));
    }

    /// <summary>The process id in a worker consumer's name, <c>{machine}-{pid}-{random}-{n}</c> (the machine name may hold dashes).</summary>
    private static int ConsumerProcessId(string consumer)
    {
        var parts = consumer.Split('-');
        return int.Parse(parts[^3], CultureInfo.InvariantCulture);
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private async Task<(string Owner, string[] Rooms)> NewRoomsAsync()
    {
        var admin = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        var rooms = new[] { "fault-" + Guid.NewGuid().ToString("N")[..10], "fault-" + Guid.NewGuid().ToString("N")[..10] };
        foreach (var room in rooms)
        {
            await cluster.ApiClient.CreateRoomAsync(admin, room);
        }

        return (admin, rooms);
    }
}
