using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

namespace Chatroom.Testing.Traffic;

/// <summary>
/// Chat traffic for fault tests, so every fault reports the same figures: members (one hub connection each) in rooms,
/// each sending one message at a time at a steady pace. Every send is recorded as acknowledged (room, id) or refused
/// (its code), every <c>message</c> event per receiver. A member whose connection drops reconnects (through the
/// test's <c>connect</c>, which picks a live node) and rejoins with the last id it saw, as the web client does; what
/// <c>JoinRoom</c> returns as missed counts as recovered. <see cref="StopAsync"/> then settles: it waits for
/// deliveries, lets each member fill gaps the same way, and reads every room's log.
/// </summary>
public sealed class ChatTraffic : IAsyncDisposable
{
    private readonly ChatApiClient _api;
    private readonly IReadOnlyList<string> _rooms;
    private readonly Func<int, string, Task<HubClient>> _connect;
    private readonly TrafficOptions _options;
    private readonly List<Member> _members = [];
    private readonly ConcurrentDictionary<(string Room, long Id), Sent> _acknowledged = new();
    private readonly ConcurrentDictionary<string, int> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Code, long StartedAt)> _refusals = new();
    private readonly ConcurrentBag<TimeSpan> _reconnects = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _unacknowledged;

    /// <param name="api">Signs the members in and reads the logs.</param>
    /// <param name="rooms">Existing rooms; member <c>i</c> joins <c>rooms[i % rooms.Count]</c>.</param>
    /// <param name="connect">Connects member <c>i</c> with its token to a node; called again after a drop, so it should pick a live one.</param>
    public ChatTraffic(ChatApiClient api, IReadOnlyList<string> rooms, Func<int, string, Task<HubClient>> connect, TrafficOptions? options = null)
    {
        _api = api;
        _rooms = rooms;
        _connect = connect;
        _options = options ?? new TrafficOptions();
    }

    /// <summary>Sends acknowledged so far.</summary>
    public int Acknowledged => _acknowledged.Count;

    /// <summary>Refusals so far by code.</summary>
    public IReadOnlyDictionary<string, int> Refused => new Dictionary<string, int>(_refused);

    /// <summary>
    /// Refusals with <paramref name="code"/> of sends that started after <paramref name="timestamp"/> (a
    /// <see cref="Stopwatch"/> timestamp), however late their answer came back.
    /// </summary>
    public int RefusedStartedAfter(string code, long timestamp) =>
        _refusals.Count(r => r.Code == code && r.StartedAt > timestamp);

    /// <summary>Signs the members in, connects and joins them, then starts sending.</summary>
    public async Task StartAsync(int members)
    {
        for (var i = 0; i < members; i++)
        {
            var token = await _api.GuestTokenAsync($"{_options.NamePrefix}{i.ToString(CultureInfo.InvariantCulture)}");
            var member = new Member(i, _rooms[i % _rooms.Count], token);
            member.Use(await _connect(i, token));
            await member.Client.InvokeAsync("JoinRoom", member.Room, null);
            _members.Add(member);
        }

        _loops.AddRange(_members.Select(m => Task.Run(() => SendLoopAsync(m))));
    }

    /// <summary>Waits until at least <paramref name="count"/> sends were acknowledged (at most <paramref name="timeout"/>).</summary>
    public async Task WaitForAcknowledgedAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (Acknowledged < count)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"only {Acknowledged} of {count} sends were acknowledged within {timeout}; refused: {Describe(Refused)}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops sending, waits for deliveries and gap repair, reads every room's log and returns the figures.</summary>
    public async Task<TrafficReport> StopAsync(string readerToken)
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);

        // Deliveries still on their way: wait until every member has everything or nothing new arrives for a while.
        var quiet = Stopwatch.StartNew();
        var settle = Stopwatch.StartNew();
        var lastCount = -1;
        while (settle.Elapsed < _options.SettleTimeout && quiet.Elapsed < _options.QuietPeriod)
        {
            var count = _members.Sum(m => Seen(m).Count);
            if (_members.All(m => Missing(m).Count == 0))
            {
                break;
            }

            if (count != lastCount)
            {
                lastCount = count;
                quiet.Restart();
            }

            await Task.Delay(50);
        }

        // Live means a message event on a connection; what rejoining returned so far is recovered, not live.
        foreach (var member in _members)
        {
            Seen(member);
        }

        var live = _members.Sum(m => Expected(m).Count(k => m.Live.ContainsKey(k)));
        foreach (var member in _members)
        {
            await RepairGapsAsync(member);
        }

        var logs = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var room in _rooms)
        {
            logs[room] = await ReadLogAsync(room, readerToken);
        }

        var expected = _members.Sum(m => Expected(m).Count);
        var delivered = _members.Sum(m => Expected(m).Count(k => Seen(m).ContainsKey(k)));
        var latencies = _members.SelectMany(m => Expected(m)
            .Where(k => m.Live.ContainsKey(k))
            .Select(k => Stopwatch.GetElapsedTime(_acknowledged[k].StartedAt, m.Live[k]))).ToList();
        return new TrafficReport(
            Acknowledged: _acknowledged.Count,
            Refused: Refused,
            Unacknowledged: _unacknowledged,
            MissingFromLog: _acknowledged.Keys.Count(k => !logs[k.Room].Contains(k.Id)),
            LogIdsContiguous: logs.Values.All(ids => ids.SequenceEqual(Enumerable.Range(1, ids.Count).Select(i => (long)i))),
            LogLengths: logs.ToDictionary(l => l.Key, l => l.Value.Count, StringComparer.Ordinal),
            ExpectedDeliveries: expected,
            DeliveredLive: live,
            Recovered: delivered - live,
            Lost: expected - delivered,
            Reconnects: _reconnects.Count,
            ReconnectP50: Percentile([.. _reconnects], 0.50),
            ReconnectP99: Percentile([.. _reconnects], 0.99),
            DeliveryP50: Percentile(latencies, 0.50),
            DeliveryP99: Percentile(latencies, 0.99));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception e) when (e is OperationCanceledException or HubInvocationException or TimeoutException)
        {
            // Disposing after a failed test: the loops' errors were reported already.
        }

        foreach (var client in _members.SelectMany(m => m.Clients))
        {
            await client.DisposeAsync();
        }

        _stop.Dispose();
    }

    /// <summary>p-th percentile (nearest rank); zero when there are no samples.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> samples, double p)
    {
        if (samples.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = samples.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Describe(IReadOnlyDictionary<string, int> refused) =>
        refused.Count == 0 ? "none" : string.Join(", ", refused.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));

    private async Task SendLoopAsync(Member member)
    {
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            if (member.Client.Closed.IsCompleted)
            {
                if (!_options.Reconnect)
                {
                    return;
                }

                await ReconnectAsync(member);
                continue;
            }

            var text = $"{_options.NamePrefix}{member.Index.ToString(CultureInfo.InvariantCulture)}-{n.ToString(CultureInfo.InvariantCulture)}";
            var started = Stopwatch.GetTimestamp();
            try
            {
                var ack = await member.Client.InvokeAsync("SendMessage", member.Room, text, Guid.NewGuid().ToString("N"));
                _acknowledged[(member.Room, ack.GetProperty("id").GetInt64())] = new Sent(member.Index, started);
            }
            catch (HubInvocationException e) when (e.Message.StartsWith("connection closed", StringComparison.Ordinal))
            {
                // The node went away before answering: not acknowledged, so it may or may not be stored.
                Interlocked.Increment(ref _unacknowledged);
                await Task.WhenAny(member.Client.Closed, Task.Delay(TimeSpan.FromSeconds(1)));
                continue;
            }
            catch (HubInvocationException e)
            {
                _refusals.Enqueue((e.Code, started));
                _refused.AddOrUpdate(e.Code, 1, (_, c) => c + 1);
            }
            catch (TimeoutException)
            {
                Interlocked.Increment(ref _unacknowledged);
            }

            try
            {
                await Task.Delay(_options.Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Connects again (to whatever node <c>connect</c> picks) and rejoins with the last id seen; the reconnect time runs
    /// from the old connection closing to <c>JoinRoom</c> returning what was missed.
    /// </summary>
    private async Task ReconnectAsync(Member member)
    {
        var closedAt = await member.ClosedAt;
        await Task.Delay(_options.ReconnectDelay);
        var down = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var client = await _connect(member.Index, member.Token);
                member.Use(client);
                var lastSeen = Seen(member).Keys.Where(k => k.Room == member.Room).Select(k => k.Id).DefaultIfEmpty(0).Max();
                var joined = await client.InvokeAsync("JoinRoom", member.Room, lastSeen == 0 ? null : lastSeen);
                RecordMissed(member, joined);
                _reconnects.Add(Stopwatch.GetElapsedTime(closedAt));
                return;
            }
            catch (Exception e) when (e is HubInvocationException or HttpRequestException or IOException or System.Net.WebSockets.WebSocketException
                                          or TimeoutException or InvalidOperationException && down.Elapsed < _options.ReconnectTimeout)
            {
                await Task.Delay(100);
            }
        }
    }

    private async Task RepairGapsAsync(Member member)
    {
        for (var attempt = 0; attempt < 20 && Missing(member) is { Count: > 0 } missing && !member.Client.Closed.IsCompleted; attempt++)
        {
            var joined = await member.Client.InvokeAsync("JoinRoom", member.Room, missing.Min(k => k.Id) - 1);
            if (RecordMissed(member, joined) == 0)
            {
                return;
            }
        }
    }

    private static int RecordMissed(Member member, JsonElement joined)
    {
        if (!joined.TryGetProperty("missed", out var missed) || missed.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        var count = 0;
        foreach (var message in missed.EnumerateArray())
        {
            if (member.Recovered.TryAdd((message.GetProperty("room").GetString()!, message.GetProperty("id").GetInt64()), true))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Acknowledged messages of others in the member's room: the member should have every one.</summary>
    private List<(string Room, long Id)> Expected(Member member) =>
        _acknowledged.Where(a => a.Key.Room == member.Room && a.Value.Member != member.Index).Select(a => a.Key).ToList();

    private List<(string Room, long Id)> Missing(Member member)
    {
        var seen = Seen(member);
        return Expected(member).Where(k => !seen.ContainsKey(k)).ToList();
    }

    /// <summary>Every message the member has: live events on any of its connections, and what rejoining returned.</summary>
    private static Dictionary<(string Room, long Id), bool> Seen(Member member)
    {
        member.Live.Clear();
        foreach (var e in member.Clients.ToList().SelectMany(c => c.Events).Where(e => e.Target == "message"))
        {
            var key = (e.Argument.GetProperty("room").GetString()!, e.Argument.GetProperty("id").GetInt64());
            member.Live.TryAdd(key, e.ReceivedTimestamp);
        }

        var seen = member.Live.Keys.ToDictionary(k => k, _ => true);
        foreach (var key in member.Recovered.Keys)
        {
            seen[key] = true;
        }

        return seen;
    }

    private async Task<List<long>> ReadLogAsync(string room, string token)
    {
        var ids = new List<long>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            JsonObject page;
            try
            {
                page = await _api.GetJsonAsync($"/api/rooms/{room}/messages?after={(ids.Count == 0 ? 0 : ids[^1]).ToString(CultureInfo.InvariantCulture)}&limit=200", token);
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && deadline.Elapsed < _options.SettleTimeout)
            {
                // The API reconnects to its backend on its own schedule after an outage.
                await Task.Delay(250);
                continue;
            }

            var messages = page["messages"]!.AsArray();
            if (messages.Count == 0)
            {
                return ids;
            }

            ids.AddRange(messages.Select(m => m!["id"]!.GetValue<long>()));
        }
    }

    private sealed record Sent(int Member, long StartedAt);

    private sealed class Member(int index, string room, string token)
    {
        public int Index { get; } = index;

        public string Room { get; } = room;

        public string Token { get; } = token;

        public HubClient Client { get; private set; } = null!;

        /// <summary>When the current connection closed (<see cref="Stopwatch"/> timestamp).</summary>
        public Task<long> ClosedAt { get; private set; } = Task.FromResult(0L);

        public List<HubClient> Clients { get; } = [];

        public void Use(HubClient client)
        {
            Clients.Add(client);
            Client = client;
            ClosedAt = client.Closed.ContinueWith(_ => Stopwatch.GetTimestamp(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>Message keys received live, with when they arrived (<see cref="Stopwatch"/> timestamp).</summary>
        public ConcurrentDictionary<(string Room, long Id), long> Live { get; } = new();

        public ConcurrentDictionary<(string Room, long Id), bool> Recovered { get; } = new();
    }
}

/// <summary>How <see cref="ChatTraffic"/> behaves.</summary>
public sealed record TrafficOptions
{
    /// <summary>Pause between one member's sends (each waits for its acknowledgement first).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Reconnect a member whose connection dropped; otherwise it stops sending.</summary>
    public bool Reconnect { get; init; } = true;

    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A client's back-off before its first reconnect attempt; counted in the reconnect time.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.Zero;

    /// <summary>At most this long waiting for deliveries after sending stopped.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Settling also ends once nothing new arrived for this long.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Guest names are this prefix and the member's index.</summary>
    public string NamePrefix { get; init; } = "member";
}

/// <summary>
/// What a fault did to the traffic. Deliveries count each acknowledged message once per other member of its room:
/// received live, recovered by rejoining with the last id seen, or lost.
/// </summary>
public sealed record TrafficReport(
    int Acknowledged,
    IReadOnlyDictionary<string, int> Refused,
    int Unacknowledged,
    int MissingFromLog,
    bool LogIdsContiguous,
    IReadOnlyDictionary<string, int> LogLengths,
    int ExpectedDeliveries,
    int DeliveredLive,
    int Recovered,
    int Lost,
    int Reconnects,
    TimeSpan ReconnectP50,
    TimeSpan ReconnectP99,
    TimeSpan DeliveryP50,
    TimeSpan DeliveryP99)
{
    public int RefusedCount(string code) => Refused.TryGetValue(code, out var count) ? count : 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"acknowledged {Acknowledged}, refused {(Refused.Count == 0 ? "0" : string.Join(", ", Refused.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}")))}, " +
        $"unacknowledged (connection dropped mid-send) {Unacknowledged}, missing from the log {MissingFromLog}, log ids contiguous {LogIdsContiguous}; " +
        $"deliveries expected {ExpectedDeliveries}: live {DeliveredLive}, recovered {Recovered}, lost {Lost}; " +
        $"reconnects {Reconnects} (p50 {ReconnectP50.TotalMilliseconds:0} ms, p99 {ReconnectP99.TotalMilliseconds:0} ms); " +
        $"send→deliver p50 {DeliveryP50.TotalMilliseconds:0.0} ms, p99 {DeliveryP99.TotalMilliseconds:0.0} ms");
}
