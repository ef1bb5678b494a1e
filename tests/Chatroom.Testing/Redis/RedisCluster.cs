using System.Globalization;

namespace Chatroom.Testing.Redis;

/// <summary>A 3-master Redis Cluster (no replicas) made with <c>redis-cli --cluster create</c>; stopped on dispose.</summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private RedisCluster(IReadOnlyList<RedisServer> nodes) => Nodes = nodes;

    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>A seed endpoint plus timeouts; the client discovers the other nodes.</summary>
    public string ConnectionString => $"{string.Join(',', Nodes.Select(n => n.Endpoint))},connectTimeout=2000,syncTimeout=3000";

    public static async Task<RedisCluster> StartAsync(CancellationToken cancellationToken = default)
    {
        var nodes = new List<RedisServer>();
        try
        {
            var starts = Enumerable.Range(0, 3).Select(_ => RedisServer.StartClusterNodeAsync(cancellationToken)).ToList();
            foreach (var start in starts)
            {
                nodes.Add(await start);
            }

            var output = await RedisServer.RunCliAsync(
                ["--cluster", "create", .. nodes.Select(n => n.Endpoint), "--cluster-replicas", "0", "--cluster-yes"]);
            if (!output.Contains("All 16384 slots covered", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + output);
            }

            var cluster = new RedisCluster(nodes);
            await cluster.WaitUntilHealthyAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The master serving <paramref name="slot"/>, from <c>CLUSTER NODES</c> of the first node.</summary>
    public async Task<RedisServer> OwnerOfSlotAsync(int slot)
    {
        var nodes = await Nodes[0].CliAsync("CLUSTER", "NODES");
        foreach (var line in nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length < 9 || !fields[2].Contains("master", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var range in fields.Skip(8).Where(f => !f.StartsWith('[')))
            {
                var bounds = range.Split('-');
                var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
                var last = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
                if (slot >= first && slot <= last)
                {
                    var port = int.Parse(fields[1].Split('@')[0].Split(':')[^1], CultureInfo.InvariantCulture);
                    return Nodes.Single(n => n.Port == port);
                }
            }
        }

        throw new InvalidOperationException($"No master serves slot {slot}:\n{nodes}");
    }

    /// <summary>
    /// Moves a slot the way <c>redis-cli --cluster reshard</c> does: IMPORTING on the target, MIGRATING on
    /// the source, MIGRATE of every key, then SETSLOT NODE on the target, the source and the other masters.
    /// </summary>
    public async Task MoveSlotAsync(int slot, RedisServer source, RedisServer target)
    {
        await BeginSlotMigrationAsync(slot, source, target);
        await MigrateKeysAsync(slot, source, target);
        await FinishSlotMigrationAsync(slot, source, target);
    }

    /// <summary>First step of a move: the slot is IMPORTING on the target and MIGRATING on the source.</summary>
    public async Task BeginSlotMigrationAsync(int slot, RedisServer source, RedisServer target)
    {
        var text = slot.ToString(CultureInfo.InvariantCulture);
        Expect("OK", await target.CliAsync("CLUSTER", "SETSLOT", text, "IMPORTING", await IdOfAsync(source)));
        Expect("OK", await source.CliAsync("CLUSTER", "SETSLOT", text, "MIGRATING", await IdOfAsync(target)));
    }

    /// <summary>Moves the slot's keys (all of them, or only <paramref name="keys"/>) from source to target with MIGRATE.</summary>
    public async Task MigrateKeysAsync(int slot, RedisServer source, RedisServer target, IReadOnlyList<string>? keys = null)
    {
        if (keys is null)
        {
            var listed = await source.CliAsync("CLUSTER", "GETKEYSINSLOT", slot.ToString(CultureInfo.InvariantCulture), "1000");
            keys = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        if (keys.Count == 0)
        {
            return;
        }

        var output = await source.CliAsync(["MIGRATE", "127.0.0.1", target.Port.ToString(CultureInfo.InvariantCulture), "", "0", "5000", "KEYS", .. keys]);
        if (!output.Trim().Equals("OK", StringComparison.Ordinal) && !output.Trim().Equals("NOKEY", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("MIGRATE failed: " + output);
        }
    }

    /// <summary>Last step of a move: the target owns the slot, told to the target, the source, then every other master.</summary>
    public async Task FinishSlotMigrationAsync(int slot, RedisServer source, RedisServer target)
    {
        await AssignSlotAsync(slot, target, target);
        await AssignSlotAsync(slot, target, source);
        foreach (var other in Nodes.Where(n => n != source && n != target))
        {
            await AssignSlotAsync(slot, target, other);
        }
    }

    /// <summary><c>CLUSTER SETSLOT slot NODE owner</c> sent to one node (<paramref name="toldTo"/>) only.</summary>
    public async Task AssignSlotAsync(int slot, RedisServer owner, RedisServer toldTo) =>
        Expect("OK", await toldTo.CliAsync("CLUSTER", "SETSLOT", slot.ToString(CultureInfo.InvariantCulture), "NODE", await IdOfAsync(owner)));

    public async Task<string> IdOfAsync(RedisServer node) => (await node.CliAsync("CLUSTER", "MYID")).Trim();

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static void Expect(string expected, string output)
    {
        if (!output.Trim().Equals(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Expected {expected} from redis-cli, got: {output}");
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var healthy = true;
            foreach (var node in Nodes)
            {
                var info = await node.CliAsync("CLUSTER", "INFO");
                healthy &= info.Contains("cluster_state:ok", StringComparison.Ordinal)
                    && info.Contains("cluster_known_nodes:" + Nodes.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            if (healthy)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The Redis cluster did not reach cluster_state:ok within 30 s.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
