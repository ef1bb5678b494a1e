using System.Diagnostics;
using System.Globalization;
using Chatroom.Redis;
using Chatroom.Testing.Redis;
using StackExchange.Redis;

// Same server, same connection count (-c), same pipeline depth (-P), same request count (-n) and payload (-d 16).
var connections = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
var pipeline = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var requests = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 400_000;

await using var server = await RedisServer.StartAsync();
Console.WriteLine($"redis-server on {server.Endpoint}; {connections} connections, pipeline {pipeline}, {requests} requests per test, {Environment.ProcessorCount} cores");

// One multiplexer per redis-benchmark connection (a multiplexer is one interactive socket), configured as the ports' is.
var clients = new ConnectionMultiplexer[connections];
for (var i = 0; i < connections; i++)
{
    clients[i] = await RedisConnectionConfiguration.ConnectAsync(server.ConnectionString);
}

var databases = clients.Select(c => c.GetDatabase()).ToArray();

var value = new byte[16];
Array.Fill(value, (byte)'x');
var fieldValue = "v"u8.ToArray();

// Warm the JIT, the pools and the thread pool on every command before measuring any.
RedisKey key = "key:__rand_int__";
RedisKey stream = "bench-stream";
await MeasureAsync(db => db.StringSetAsync(key, value), warmup: true);
await MeasureAsync(db => db.StringGetAsync(key), warmup: true);

var ours = new Dictionary<string, double>
{
    ["SET"] = await MeasureAsync(db => db.StringSetAsync(key, value), warmup: true),
    // The library's own tasks, unwrapped: an async lambda here would measure the harness's state machine too.
    // GET keeps the reply as a RedisValue (the ports then read it as a string).
    ["GET"] = await MeasureAsync(db => db.StringGetAsync(key), warmup: true),
    ["XADD"] = await MeasureAsync(db => db.StreamAddAsync(stream, "f", fieldValue), warmup: true),
};

var theirs = new Dictionary<string, double>
{
    ["SET"] = await RedisBenchmarkAsync("-t", "set", "-d", "16"),
    ["GET"] = await RedisBenchmarkAsync("-t", "get", "-d", "16"),
    ["XADD"] = await RedisBenchmarkAsync("XADD", "bench-stream-rb", "*", "f", "v"),
};

Console.WriteLine();
Console.WriteLine($"{"command",-8} {"SE.Redis ops/s",14} {"redis-benchmark",16} {"ratio",7}");
foreach (var (name, rate) in ours)
{
    Console.WriteLine($"{name,-8} {rate,14:N0} {theirs[name],16:N0} {rate / theirs[name],7:0.00}");
}

foreach (var client in clients)
{
    await client.DisposeAsync();
}

async Task<double> MeasureAsync<T>(Func<IDatabase, Task<T>> operation, bool warmup)
{
    if (warmup)
    {
        await RunAsync(operation, Math.Max(requests / 10, connections * pipeline));
    }

    var clock = Stopwatch.StartNew();
    await RunAsync(operation, requests);
    return requests / clock.Elapsed.TotalSeconds;
}

async Task RunAsync<T>(Func<IDatabase, Task<T>> operation, int total)
{
    var remaining = total;
    await Task.WhenAll(databases.Select(db => Task.Run(async () =>
    {
        // Like redis-benchmark -P: write a batch of `pipeline` commands, then wait for all their replies.
        var batch = new Task<T>[pipeline];
        while (Interlocked.Add(ref remaining, -pipeline) > -pipeline)
        {
            for (var i = 0; i < pipeline; i++)
            {
                batch[i] = operation(db);
            }

            for (var i = 0; i < pipeline; i++)
            {
                await batch[i];
            }
        }
    })));
}

async Task<double> RedisBenchmarkAsync(params string[] test)
{
    var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var argument in new[]
    {
        "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture),
        "-c", connections.ToString(CultureInfo.InvariantCulture), "-P", pipeline.ToString(CultureInfo.InvariantCulture),
        "-n", requests.ToString(CultureInfo.InvariantCulture), "--csv",
    }.Concat(test))
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start.");
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    var row = output.Split('\n').First(l => l.StartsWith('"') && !l.StartsWith("\"test\"", StringComparison.Ordinal));
    return double.Parse(row.Split(',')[1].Trim('"'), CultureInfo.InvariantCulture);
}
