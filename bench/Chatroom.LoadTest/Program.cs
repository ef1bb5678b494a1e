using System.CommandLine;
using System.CommandLine.Parsing;
using Chatroom.LoadTest;

// Chatroom.LoadTest: N connections over R rooms against one or more running hosts; live progress on stderr,
// a markdown table on stdout and the same figures as JSON (--json). `split-queues` is the split-queues experiment.
ThreadPool.SetMinThreads(Math.Max(Environment.ProcessorCount * 4, 32), Math.Max(Environment.ProcessorCount * 4, 32));

var urls = new Option<string[]>("--url", "-u")
{
    Description = "Base URL of a host (repeat for several nodes; each room's members are spread over them)",
    DefaultValueFactory = _ => ["http://127.0.0.1:5000"],
    AllowMultipleArgumentsPerToken = true,
};
urls.Validators.Add(result =>
{
    foreach (var url in result.GetValueOrDefault<string[]>() ?? [])
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            result.AddError($"--url {url} is not an http(s) URL");
        }
    }
});
var apiUrl = new Option<string?>("--api-url")
{
    Description = "Base URL for sign-ins and room creation when the API runs apart from the socket servers (default: each connection's --url)",
};
apiUrl.Validators.Add(result =>
{
    if (result.GetValueOrDefault<string?>() is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
    {
        result.AddError($"--api-url {url} is not an http(s) URL");
    }
});
var connections = new Option<int>("--connections", "-c") { Description = "Hub connections, each its own guest user", DefaultValueFactory = _ => 600 };
var rooms = new Option<int>("--rooms", "-r") { Description = "Rooms; connection i joins room i mod R", DefaultValueFactory = _ => 60 };
var rate = new Option<double>("--rate") { Description = "Messages per second per room, sent by its members in turn", DefaultValueFactory = _ => 5 };
var size = new Option<int>("--size") { Description = "Message size in characters (ASCII, so bytes)", DefaultValueFactory = _ => 100 };
var duration = new Option<double>("--duration", "-d") { Description = "Seconds of sending", DefaultValueFactory = _ => 30 };
var count = new Option<long?>("--count", "-n") { Description = "Stop after this many messages in all (whichever of --duration and --count comes first)" };
var drain = new Option<double>("--drain") { Description = "Seconds to wait after sending for outstanding acks and deliveries", DefaultValueFactory = _ => 10 };
var parallelism = new Option<int>("--connect-parallelism") { Description = "Sign-ins and connects at once", DefaultValueFactory = _ => 32 };
var inFlight = new Option<int>("--max-in-flight") { Description = "Unanswered sends per connection before a send is skipped (and counted)", DefaultValueFactory = _ => 64 };
var pids = new Option<int[]>("--server-pid") { Description = "Server process id(s) on this machine, for RSS per connection", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
var label = new Option<string>("--label") { Description = "Name of this run in the report", DefaultValueFactory = _ => "chatroom" };
var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file" };

foreach (var positive in new[] { connections, rooms, size, parallelism, inFlight })
{
    positive.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() <= 0)
        {
            result.AddError($"{result.Option.Name} must be positive");
        }
    });
}

foreach (var positive in new[] { rate, duration })
{
    positive.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<double>() <= 0)
        {
            result.AddError($"{result.Option.Name} must be positive");
        }
    });
}

var root = new RootCommand("Load test of a running Chatroom over the SignalR .NET client: send→ack and send→deliver latency, delivered/s, refusals by code, server RSS per connection")
{
    urls, apiUrl, connections, rooms, rate, size, duration, count, drain, parallelism, inFlight, pids, label, json,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var settings = new LoadSettings(
        parse.GetValue(urls)!.Select(u => new Uri(u)).ToList(),
        parse.GetValue(connections),
        parse.GetValue(rooms),
        parse.GetValue(rate),
        parse.GetValue(size),
        TimeSpan.FromSeconds(parse.GetValue(duration)),
        parse.GetValue(count),
        TimeSpan.FromSeconds(parse.GetValue(drain)),
        parse.GetValue(parallelism),
        parse.GetValue(inFlight),
        parse.GetValue(pids)!,
        parse.GetValue(label)!,
        parse.GetValue(apiUrl) is { } api ? new Uri(api) : null);
    var report = await new LoadRun(settings, Console.Error).RunAsync(cancellationToken);
    Console.WriteLine(report.ToMarkdown());
    if (parse.GetValue(json) is { } file)
    {
        await File.WriteAllTextAsync(file.FullName, report.ToJson(), cancellationToken);
    }

    return report.Connections.Connected > 0 ? 0 : 1;
});

var clients = new Option<int>("--clients") { Description = "Connections in the one room", DefaultValueFactory = _ => 20 };
var perClient = new Option<int>("--messages-per-client") { Description = "Messages each connection sends (8 per second)", DefaultValueFactory = _ => 100 };
var splitQueues = new Command("split-queues", "Chat latency with analysis idle vs saturated (hosts the standalone product in-process twice)") { clients, perClient };
splitQueues.SetAction(async (parse, cancellationToken) =>
{
    await SplitQueues.RunAsync(parse.GetValue(clients), parse.GetValue(perClient), cancellationToken);
    return 0;
});
root.Subcommands.Add(splitQueues);

var webhookClients = new Option<int>("--clients") { Description = "Connections in the one room", DefaultValueFactory = _ => 20 };
var webhookPerClient = new Option<int>("--messages-per-client") { Description = "Messages each connection sends (8 per second)", DefaultValueFactory = _ => 100 };
var fast = new Option<int>("--fast") { Description = "Subscriptions whose receiver answers at once", DefaultValueFactory = _ => 8 };
var slow = new Option<int>("--slow") { Description = "Subscriptions whose receiver answers after --slow-seconds", DefaultValueFactory = _ => 2 };
var hanging = new Option<int>("--hanging") { Description = "Subscriptions whose receiver never answers", DefaultValueFactory = _ => 1 };
var slowSeconds = new Option<double>("--slow-seconds") { Description = "How long a slow receiver takes to answer", DefaultValueFactory = _ => 5 };
var timeoutSeconds = new Option<double>("--timeout-seconds") { Description = "Chatroom:Webhooks:Timeout (a hanging receiver holds a sender this long)", DefaultValueFactory = _ => 10 };
var drainSeconds = new Option<double>("--drain-seconds") { Description = "How long to wait after the chat load for the fast receivers to catch up", DefaultValueFactory = _ => 60 };
var webhooks = new Command("webhooks", "Chat latency without and with webhook subscriptions (fast, slow and hanging receivers on loopback), and webhook deliveries per second")
{
    webhookClients, webhookPerClient, fast, slow, hanging, slowSeconds, timeoutSeconds, drainSeconds,
};
webhooks.SetAction(async (parse, cancellationToken) =>
{
    await WebhookLoad.RunAsync(new WebhookLoad.Settings(
        parse.GetValue(webhookClients), parse.GetValue(webhookPerClient), parse.GetValue(fast), parse.GetValue(slow), parse.GetValue(hanging),
        TimeSpan.FromSeconds(parse.GetValue(slowSeconds)), TimeSpan.FromSeconds(parse.GetValue(timeoutSeconds)), TimeSpan.FromSeconds(parse.GetValue(drainSeconds))),
        cancellationToken);
    return 0;
});
root.Subcommands.Add(webhooks);

return await root.Parse(args).InvokeAsync();
