using System.Collections.Concurrent;
using System.Diagnostics;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

namespace Chatroom.LoadGen;

/// <summary>Latency samples of one run, in milliseconds.</summary>
public sealed record LoadResult(int Messages, int Deliveries, double Seconds, List<double> Acks, List<double> Fanout);

/// <summary>
/// Clients join one room and send at a steady rate; every message fans out to every client. Measures send→ack
/// (stored durably) and send→delivered at each receiver, all over the real hub protocol.
/// </summary>
public static class ChatLoad
{
    public static async Task<LoadResult> RunAsync(Uri baseUrl, int clients, int perClient, string room, TimeSpan interval)
    {
        using var api = new ChatApiClient(baseUrl);
        var token = await api.GuestTokenAsync("loadgen-0");
        using (await api.SendAsync(HttpMethod.Post, "/api/rooms", token, new { name = room }))
        {
        }

        var connections = new List<HubClient>();
        for (var i = 0; i < clients; i++)
        {
            var client = await api.ConnectAsync($"loadgen-{i}");
            await client.InvokeAsync("JoinRoom", room, null);
            connections.Add(client);
        }

        var clock = Stopwatch.StartNew();
        var sentAt = new ConcurrentDictionary<string, long>();
        var acks = new ConcurrentBag<double>();
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
        var seconds = clock.Elapsed.TotalSeconds;

        var total = clients * perClient;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (connections.Sum(c => c.EventsOf("message").Count(m => m.GetProperty("text").GetString()!.StartsWith("lg ", StringComparison.Ordinal))) < total * clients &&
               DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var fanout = connections
            .SelectMany(c => c.Events.Where(e => e.Target == "message"))
            .Where(e => sentAt.ContainsKey(e.Argument.GetProperty("text").GetString()!))
            .Select(e => Stopwatch.GetElapsedTime(sentAt[e.Argument.GetProperty("text").GetString()!], e.ReceivedTimestamp).TotalMilliseconds)
            .ToList();
        foreach (var c in connections)
        {
            await c.DisposeAsync();
        }

        return new LoadResult(total, fanout.Count, seconds, [.. acks], fanout);
    }

    public static string Summary(string what, List<double> samples)
    {
        samples.Sort();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))];
        return $"{what}: n={samples.Count} p50={P(0.50):F2}ms p90={P(0.90):F2}ms p99={P(0.99):F2}ms max={samples[^1]:F2}ms";
    }
}
