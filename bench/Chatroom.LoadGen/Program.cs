using System.Globalization;
using Chatroom.LoadGen;

// Usage:
//   Chatroom.LoadGen <base-url> [clients=20] [messages-per-client=200]   drive a running Chatroom
//   Chatroom.LoadGen split-queues [clients=20] [messages-per-client=100]  chat latency with analysis idle vs saturated
// Clients send at ~8 msg/s each (under the default 10/s limit); every message fans out to every client.
if (args.Length > 0 && args[0] == "split-queues")
{
    await SplitQueues.RunAsync(Arg(1, 20), Arg(2, 100));
    return;
}

var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5000");
var room = "loadgen-" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
var result = await ChatLoad.RunAsync(baseUrl, Arg(1, 20), Arg(2, 200), room, TimeSpan.FromMilliseconds(125));
Console.WriteLine($"messages={result.Messages} sent in {result.Seconds:F1}s ({result.Messages / result.Seconds:F0} msg/s stored, {result.Deliveries / result.Seconds:F0} deliveries/s)");
Console.WriteLine(ChatLoad.Summary("send→ack (durable)", result.Acks));
Console.WriteLine(ChatLoad.Summary("send→delivered (every receiver)", result.Fanout));

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
