using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chatroom.LoadTest;

/// <summary>
/// Runs one workload over the SignalR .NET client. Every message carries its send time (a <see cref="Stopwatch"/>
/// timestamp of this process) in its text, so <em>send→deliver</em> is measured at every member of the room that
/// receives it (the sender included) without a lookup, and <em>send→ack</em> is the <c>SendMessage</c> round trip
/// (the server acknowledges once the message is stored). The send schedule is open-loop: a slow server does not slow
/// the senders down (no coordinated omission), up to <see cref="LoadSettings.MaxInFlightPerConnection"/> unanswered
/// sends per connection, beyond which a send is skipped and counted. With several URLs (socket nodes) the text also
/// names the sender's node, so deliveries from a connection on another node are measured apart (<em>cross-node</em>).
/// </summary>
public sealed class LoadRun(LoadSettings settings, TextWriter progress)
{
    private const string Marker = "lt|";
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(30);

    private readonly LatencyHistogram _ack = new();
    private readonly LatencyHistogram _deliver = new();
    private LatencyHistogram _deliverLastSecond = new();
    private readonly LatencyHistogram _deliverCrossNode = new();
    private readonly ConcurrentDictionary<string, long> _refused = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<string, long> _connectFailures = new();
    private readonly string _runId = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
    private long _sent;
    private long _acked;
    private long _skipped;
    private long _delivered;
    private long _deliveredCrossNode;
    private long _expected;
    private long _inFlight;
    private long _dropped;
    private long _sequence;

    /// <summary>Runs the workload; <paramref name="cancellationToken"/> ends the send phase early (the report still follows).</summary>
    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var rooms = Enumerable.Range(0, settings.Rooms).Select(r => $"lt-{_runId}-{r}").ToArray();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await CreateRoomsAsync(http, rooms, cancellationToken);

        var baseline = ServerProcesses.ResidentBytes(settings.ServerPids);
        var members = await ConnectAsync(http, rooms, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var connectedRss = ServerProcesses.ResidentBytes(settings.ServerPids);
        var peakRss = connectedRss ?? 0;

        var byRoom = members.GroupBy(m => m.Room).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Index).ToArray());
        var cpuBefore = ServerProcesses.CpuTime(settings.ServerPids);
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(settings.Duration);
        using var progressStop = new CancellationTokenSource();
        var reporter = ReportProgressAsync(clock, members.Count, rss => peakRss = Math.Max(peakRss, rss), progressStop.Token);

        await Task.WhenAll(byRoom.Select((room, index) => SendLoopAsync(room.Key, room.Value, index, clock, stop)));
        var sendSeconds = clock.Elapsed.TotalSeconds;
        var deliveredWhileSending = Interlocked.Read(ref _delivered);

        var drainUntil = clock.Elapsed + settings.Drain;
        while (clock.Elapsed < drainUntil &&
               (Interlocked.Read(ref _inFlight) > 0 || Interlocked.Read(ref _delivered) < Interlocked.Read(ref _expected)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }

        await progressStop.CancelAsync();
        await reporter;
        progress.WriteLine();

        var delivered = Interlocked.Read(ref _delivered);
        CpuReport? cpu = null;
        if (cpuBefore is { } before && ServerProcesses.CpuTime(settings.ServerPids) is { } after)
        {
            var seconds = (after - before).TotalSeconds;
            cpu = new CpuReport(Math.Round(seconds, 2), delivered == 0 ? 0 : Math.Round(seconds * 1e6 / delivered, 1));
        }

        var expected = Interlocked.Read(ref _expected);
        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = settings.ConnectParallelism }, async (member, _) =>
            await member.Connection.DisposeAsync());

        MemoryReport? memory = null;
        if (baseline is { } idle && connectedRss is { } connected)
        {
            memory = new MemoryReport(settings.ServerPids, idle, connected, Math.Max(peakRss, connected),
                members.Count == 0 ? 0 : (connected - idle) / (double)members.Count);
        }

        return new LoadReport(
            "Chatroom.LoadTest (SignalR .NET client)",
            settings.Label,
            settings.Urls.Select(u => u.ToString()).ToList(),
            startedAt,
            new WorkloadReport(settings.Connections, settings.Rooms, settings.RatePerRoom, settings.MessageBytes, settings.Duration.TotalSeconds, settings.Count),
            new ConnectionReport(settings.Connections, members.Count, Sorted(_connectFailures), Interlocked.Read(ref _dropped)),
            Interlocked.Read(ref _sent),
            Interlocked.Read(ref _acked),
            Sorted(_refused),
            Sorted(_errors),
            Interlocked.Read(ref _skipped),
            Math.Round(sendSeconds, 3),
            _ack.Summarise(),
            _deliver.Summarise(),
            delivered,
            expected,
            Math.Max(0, expected - delivered),
            Math.Round(sendSeconds > 0 ? deliveredWhileSending / sendSeconds : 0, 1),
            memory,
            cpu,
            settings.Urls.Count > 1 ? new CrossNodeReport(settings.Urls.Count, Interlocked.Read(ref _deliveredCrossNode), _deliverCrossNode.Summarise()) : null);
    }

    /// <summary>The code of a hub refusal: SignalR sends "An unexpected error occurred invoking 'X' on the server. HubException: code: sentence".</summary>
    public static string RefusalCode(string message)
    {
        const string marker = "HubException: ";
        var at = message.IndexOf(marker, StringComparison.Ordinal);
        var refusal = at < 0 ? message : message[(at + marker.Length)..];
        var colon = refusal.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? refusal : refusal[..colon]).Trim();
    }

    private async Task CreateRoomsAsync(HttpClient http, string[] rooms, CancellationToken cancellationToken)
    {
        var url = settings.ApiUrl ?? settings.Urls[0];
        var token = await SignInAsync(http, url, $"lt-{_runId}-owner", cancellationToken);
        foreach (var room in rooms)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/api/rooms")) { Content = JsonContent.Create(new { name = room }) };
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"creating room {room} on {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    private static async Task<string> SignInAsync(HttpClient http, Uri url, string name, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(url, "/api/auth/guest"), new { name }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SignInException((int)response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return body!["token"]!.GetValue<string>();
    }

    private async Task<List<Member>> ConnectAsync(HttpClient http, string[] rooms, CancellationToken cancellationToken)
    {
        var members = new ConcurrentBag<Member>();
        var attempted = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.ConnectParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.Connections), options, async (index, token) =>
        {
            // The room is index mod R, the node the member's place in its room mod N: every room spans the nodes.
            var node = index / rooms.Length % settings.Urls.Count;
            var url = settings.Urls[node];
            var room = rooms[index % rooms.Length];
            var stage = "sign_in";
            HubConnection? connection = null;
            try
            {
                var accessToken = await SignInAsync(http, settings.ApiUrl ?? url, $"lt-{_runId}-{index}", token);
                stage = "connect";
                connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(url, "/hubs/chat"), HttpTransportType.WebSockets, o =>
                    {
                        o.SkipNegotiation = true;
                        o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
                    })
                    .Build();
                connection.On<DeliveredMessage>("message", message => OnMessage(message, node));
                connection.Closed += error =>
                {
                    if (error is not null)
                    {
                        Interlocked.Increment(ref _dropped);
                    }

                    return Task.CompletedTask;
                };
                await connection.StartAsync(token);
                stage = "join";
                await connection.InvokeAsync("JoinRoom", room, null, token);
                members.Add(new Member(index, node, room, connection));
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                var reason = e switch
                {
                    SignInException s => $"sign_in_{s.Status}",
                    HubException h => $"{stage}: {RefusalCode(h.Message)}",
                    _ => $"{stage}: {e.GetType().Name}",
                };
                _connectFailures.AddOrUpdate(reason, 1, (_, n) => n + 1);
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }

            var done = Interlocked.Increment(ref attempted);
            if (done % 100 == 0 || done == settings.Connections)
            {
                progress.WriteLine($"connecting: {done}/{settings.Connections} attempted, {members.Count} joined");
            }
        });
        return [.. members];
    }

    private async Task SendLoopAsync(string room, Member[] members, int roomIndex, Stopwatch clock, CancellationTokenSource stop)
    {
        var interval = TimeSpan.FromSeconds(1 / settings.RatePerRoom);
        // Rooms start at spread-out phases so the sends of all rooms do not land in the same millisecond.
        var phase = interval * (roomIndex / (double)Math.Max(1, settings.Rooms));
        var size = members.Length;
        for (long k = 0; !stop.IsCancellationRequested; k++)
        {
            var due = phase + interval * k;
            if (due >= settings.Duration)
            {
                return;
            }

            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var sequence = Interlocked.Increment(ref _sequence);
            if (settings.Count is { } count && sequence > count)
            {
                await stop.CancelAsync();
                return;
            }

            var member = members[k % size];
            if (Volatile.Read(ref member.InFlight) >= settings.MaxInFlightPerConnection)
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }

            _ = SendAsync(member, sequence, size);
        }
    }

    private async Task SendAsync(Member member, long sequence, int roomSize)
    {
        Interlocked.Increment(ref member.InFlight);
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _sent);
        var started = Stopwatch.GetTimestamp();
        var text = Text(started, sequence, member.Node);
        try
        {
            using var timeout = new CancellationTokenSource(InvokeTimeout);
            await member.Connection.InvokeAsync<SendAck>("SendMessage", member.Room, text, $"{_runId}-{sequence}", timeout.Token);
            _ack.Record(Stopwatch.GetElapsedTime(started));
            Interlocked.Increment(ref _acked);
            Interlocked.Add(ref _expected, roomSize);
        }
        catch (HubException e)
        {
            _refused.AddOrUpdate(RefusalCode(e.Message), 1, (_, n) => n + 1);
        }
        catch (Exception e)
        {
            _errors.AddOrUpdate(e is OperationCanceledException ? "ack_timeout" : e.GetType().Name, 1, (_, n) => n + 1);
        }
        finally
        {
            Interlocked.Decrement(ref member.InFlight);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary><c>lt|&lt;send timestamp&gt;|&lt;sequence&gt;|&lt;sender's node&gt;|</c>, padded to the message size.</summary>
    private string Text(long timestamp, long sequence, int node)
    {
        var text = new StringBuilder(Math.Max(settings.MessageBytes, 48));
        text.Append(Marker).Append(timestamp.ToString(CultureInfo.InvariantCulture)).Append('|').Append(sequence.ToString(CultureInfo.InvariantCulture)).Append('|')
            .Append(node.ToString(CultureInfo.InvariantCulture)).Append('|');
        if (text.Length < settings.MessageBytes)
        {
            text.Append('x', settings.MessageBytes - text.Length);
        }

        return text.ToString();
    }

    private void OnMessage(DeliveredMessage message, int node)
    {
        var text = message.Text.AsSpan();
        if (!text.StartsWith(Marker, StringComparison.Ordinal))
        {
            return;
        }

        text = text[Marker.Length..];
        var end = text.IndexOf('|');
        if (end > 0 && long.TryParse(text[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var sentAt))
        {
            var elapsed = Stopwatch.GetElapsedTime(sentAt);
            _deliver.Record(elapsed);
            Volatile.Read(ref _deliverLastSecond).Record(elapsed);
            Interlocked.Increment(ref _delivered);

            // The sender's node is the fourth field: lt|<timestamp>|<sequence>|<node>|…
            var rest = text[(end + 1)..];
            rest = rest[(rest.IndexOf('|') + 1)..];
            var nodeEnd = rest.IndexOf('|');
            if (nodeEnd > 0 && int.TryParse(rest[..nodeEnd], NumberStyles.None, CultureInfo.InvariantCulture, out var senderNode) && senderNode != node)
            {
                _deliverCrossNode.Record(elapsed);
                Interlocked.Increment(ref _deliveredCrossNode);
            }
        }
    }

    private async Task ReportProgressAsync(Stopwatch clock, int connected, Action<long> observeRss, CancellationToken cancellationToken)
    {
        long lastDelivered = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var rss = ServerProcesses.ResidentBytes(settings.ServerPids);
                if (rss is { } bytes)
                {
                    observeRss(bytes);
                }

                var delivered = Interlocked.Read(ref _delivered);
                var ack = _ack.Summarise();
                var deliver = _deliver.Summarise();
                var lastSecond = Interlocked.Exchange(ref _deliverLastSecond, new LatencyHistogram()).Summarise();
                var memory = rss is { } r ? string.Create(CultureInfo.InvariantCulture, $"  server RSS {r / 1048576.0:F0} MiB") : string.Empty;
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{clock.Elapsed.TotalSeconds,5:F0} s  conns {connected - Interlocked.Read(ref _dropped)}  sent {Interlocked.Read(ref _sent)}  acked {Interlocked.Read(ref _acked)}  refused {_refused.Values.Sum()}  errors {_errors.Values.Sum()}  in flight {Interlocked.Read(ref _inFlight)}  delivered {delivered} ({delivered - lastDelivered}/s)  ack p50 {ack.P50:F1} p99 {ack.P99:F1} ms  deliver p50 {deliver.P50:F1} p99 {deliver.P99:F1} ms (last second {lastSecond.P50:F1} / {lastSecond.P99:F1}){memory}"));
                lastDelivered = delivered;
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private static Dictionary<string, long> Sorted(ConcurrentDictionary<string, long> counts) =>
        counts.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);

    private sealed class Member(int index, int node, string room, HubConnection connection)
    {
        public int InFlight;

        public int Index { get; } = index;

        /// <summary>Which of the URLs (socket nodes) this connection is on.</summary>
        public int Node { get; } = node;

        public string Room { get; } = room;

        public HubConnection Connection { get; } = connection;
    }

    private sealed class SignInException(int status) : Exception($"sign-in answered {status}")
    {
        public int Status { get; } = status;
    }

    /// <summary>The part of a <c>message</c> event the tool reads.</summary>
    private sealed record DeliveredMessage(string Room, string Text);

    /// <summary>The part of the <c>SendMessage</c> result the tool reads.</summary>
    private sealed record SendAck(string Room, long Id);
}
