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

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
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
