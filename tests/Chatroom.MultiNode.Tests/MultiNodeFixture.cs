using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.Redis;
using Chatroom.Testing.SignalR;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>
/// One redis-server, one API, two socket servers and one analysis worker, each a separate process on a
/// loopback port. Tests may kill a process; <see cref="EnsureRunningAsync"/> starts it again before the next.
/// </summary>
public sealed class MultiNodeFixture : IAsyncLifetime
{
    public const string AdminPassword = "multi-node-admin";

    /// <summary>Short, so a crashed node's users leave presence within seconds.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Short, so a dead worker's queue entries are claimed by another within seconds.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(2);

    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly TempDirectory _data = new("chatroom-multinode");
    private int _nodeGeneration;

    public RedisServer Redis { get; private set; } = null!;

    public ChildProcess Api { get; private set; } = null!;

    public ChildProcess SocketA { get; private set; } = null!;

    public ChildProcess SocketB { get; private set; } = null!;

    public ChildProcess Analysis { get; private set; } = null!;

    public ChatApiClient ApiClient { get; private set; } = null!;

    private IEnumerable<ChildProcess> Processes => new[] { Api, SocketA, SocketB, Analysis }.Where(p => p is not null);

    public async Task InitializeAsync()
    {
        // appendfsync always (docs/operations.md, Redis durability): every acknowledged write is on disk before Redis
        // answers, so a test may kill and restart Redis and still expect every acknowledged message.
        Redis = await RedisServer.StartAsync(["--appendonly", "yes", "--appendfsync", "always"]);
        var starting = new[]
        {
            Start("api", "Chatroom.Api", []),
            Start("socket-a", "Chatroom.SocketServer", [new("Chatroom__Sockets__NodeId", "node-a")]),
            Start("socket-b", "Chatroom.SocketServer", [new("Chatroom__Sockets__NodeId", "node-b")]),
            Start("analysis", "Chatroom.Analysis", []),
        };
        ChildProcess[] started;
        try
        {
            started = await Task.WhenAll(starting);
        }
        catch
        {
            // xunit does not dispose a fixture that failed to start: stop whatever did start (the failure names the output of the rest).
            foreach (var running in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await (await running).DisposeAsync();
            }

            await Redis.DisposeAsync();
            _data.Dispose();
            throw;
        }

        var processes = started.ToDictionary(p => p.Name);
        (Api, SocketA, SocketB, Analysis) = (processes["api"], processes["socket-a"], processes["socket-b"], processes["analysis"]);
        ApiClient = new ChatApiClient(Api.BaseAddress);
    }

    /// <summary>Starts again any process an earlier test killed (a socket server under a new node id, as a new pod would).</summary>
    public async Task EnsureRunningAsync()
    {
        foreach (var process in Processes.Where(p => !p.IsRunning))
        {
            var environment = new Dictionary<string, string>();
            if (process == SocketA || process == SocketB)
            {
                environment["Chatroom__Sockets__NodeId"] = $"{process.Name}-{Interlocked.Increment(ref _nodeGeneration).ToString(CultureInfo.InvariantCulture)}";
            }

            await process.RestartAsync(environment);
        }
    }

    /// <summary>Runs a test body; when it fails, every process's output goes to the test log.</summary>
    public async Task RunAsync(ITestOutputHelper output, Func<Task> test)
    {
        try
        {
            await EnsureRunningAsync();
            await test();
        }
        catch
        {
            foreach (var process in Processes)
            {
                output.WriteLine($"===== {process.Name} (running: {process.IsRunning}) =====");
                output.WriteLine(process.Output);
            }

            throw;
        }
    }

    public Task<HubClient> ConnectAsync(ChildProcess node, string token) =>
        HubClient.ConnectAsync(node.BaseAddress, "/hubs/chat", token);

    public async Task DisposeAsync()
    {
        foreach (var process in Processes)
        {
            await process.DisposeAsync();
        }

        ApiClient?.Dispose();
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        _data.Dispose();
    }

    /// <summary>Another analysis process beside <see cref="Analysis"/>, on the same Redis and keys; the caller owns (and disposes) it.</summary>
    public Task<ChildProcess> StartAnalysisAsync(string name, params KeyValuePair<string, string>[] extra) => Start(name, "Chatroom.Analysis", extra);

    /// <summary>Where the build put a service's dll (recorded by the project file, so any artifacts path works).</summary>
    public static string ServicePath(string assemblyName)
    {
        var key = "service:" + assemblyName;
        var path = typeof(MultiNodeFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"The test assembly does not record where {assemblyName} was built.");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assemblyName} is not built at {path}.", path);
    }

    private Task<ChildProcess> Start(string name, string assemblyName, KeyValuePair<string, string>[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = Redis.ConnectionString,
            ["Chatroom__Auth__SigningKey"] = _signingKey,
            ["Chatroom__Admin__Password"] = AdminPassword,
            ["Chatroom__Presence__HeartbeatInterval"] = HeartbeatInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Chatroom__Presence__NodeTimeout"] = NodeTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Chatroom__Queues__ClaimTimeout"] = ClaimTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Chatroom__Api__SignInsPerMinute"] = "1000",

            // Cached room state, bans and mutes stay until a change announces itself (MultiNodeCacheTests), not until they expire.
            ["Chatroom__Redis__StateCacheTtl"] = "00:10:00",

            // Every test signs the admin in with the password alone, and accounts sign in without opening their email.
            ["Chatroom__Auth__StaffRequireTwoFactor"] = "false",
            ["Chatroom__Accounts__SignInsPerAccountPerMinute"] = "1000",
            ["Chatroom__Accounts__RequireConfirmedEmail"] = "false",
            ["Chatroom__DataDirectory"] = Path.Combine(_data.Path, name),
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return ChildProcess.StartAsync(new ChildProcessOptions(name, ServicePath(assemblyName)) { Environment = environment });
    }
}

[CollectionDefinition(Name)]
public sealed class MultiNodeCollection : ICollectionFixture<MultiNodeFixture>
{
    public const string Name = "multi-node";
}
