using System.Diagnostics;
using System.Globalization;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

// Usage: Chatroom.LoadGen <base-url> [clients=20] [messages-per-client=200] [room=loadgen]
// Every client joins one room and sends at ~8 msg/s (under the default 10/s limit); every message fans out to
// every client. Reports the send→ack latency (stored durably) and the send→delivered latency over all receivers.
var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5000");
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var perClient = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var room = args.Length > 3 ? args[3] : "loadgen-" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

using var api = new ChatApiClient(baseUrl);
var token = await api.GuestTokenAsync("loadgen-0");
using (var create = await api.SendAsync(HttpMethod.Post, "/api/rooms", token, new { name = room }))
{
    Console.WriteLine($"room {room}: {(int)create.StatusCode}");
}

var connections = new List<HubClient>();
for (var i = 0; i < clients; i++)
{
    var client = await api.ConnectAsync($"loadgen-{i}");
    await client.InvokeAsync("JoinRoom", room, null);
    connections.Add(client);
}

var clock = Stopwatch.StartNew();
var sentAt = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
var acks = new System.Collections.Concurrent.ConcurrentBag<double>();
var interval = TimeSpan.FromMilliseconds(125);
await Task.WhenAll(connections.Select(async (client, index) =>
{
    for (var n = 0; n < perClient; n++)
    {
        var id = $"{index}-{n}";
        var started = clock.Elapsed.TotalMilliseconds;
        sentAt[$"lg {id}"] = Stopwatch.GetTimestamp();
        await client.InvokeAsync("SendMessage", room, $"lg {id}", id);
        acks.Add(clock.Elapsed.TotalMilliseconds - started);
        await Task.Delay(interval);
    }
}));
var sendSeconds = clock.Elapsed.TotalSeconds;

var total = clients * perClient;
var deadline = DateTime.UtcNow.AddSeconds(30);
while (connections.Sum(c => c.EventsOf("message").Count) < total * clients && DateTime.UtcNow < deadline)
{
    await Task.Delay(100);
}

// Fan-out latency: from the send call to each receiver's arrival of the message event.
var fanout = connections
    .SelectMany(c => c.Events.Where(e => e.Target == "message"))
    .Select(e => Stopwatch.GetElapsedTime(sentAt[e.Argument.GetProperty("text").GetString()!], e.ReceivedTimestamp).TotalMilliseconds)
    .ToList();
var delivered = fanout.Count;
Console.WriteLine($"clients={clients} messages={total} sent in {sendSeconds:F1}s ({total / sendSeconds:F0} msg/s stored, {delivered / sendSeconds:F0} deliveries/s)");
Console.WriteLine($"deliveries: {delivered}/{total * clients}");
Report("send→ack (durable)", acks.ToList());
Report("send→delivered (every receiver)", fanout);
foreach (var c in connections)
{
    await c.DisposeAsync();
}

static void Report(string what, List<double> samples)
{
    samples.Sort();
    double P(double q) => samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))];
    Console.WriteLine($"{what}: n={samples.Count} p50={P(0.50):F2}ms p90={P(0.90):F2}ms p99={P(0.99):F2}ms max={samples[^1]:F2}ms");
}
