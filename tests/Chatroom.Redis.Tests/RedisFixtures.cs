using Chatroom.Testing.Redis;

namespace Chatroom.Redis.Tests;

/// <summary>One redis-server per test class; tests keep apart by key prefix.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One 3-master cluster for every cluster test class (they run one after another in its collection).</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RedisCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis-cluster";
}

/// <summary>A connected client plus options with a key prefix no other test uses.</summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private TestBackend(RedisClient client) => Client = client;

    public RedisClient Client { get; }

    public Microsoft.Extensions.Options.IOptions<RedisBackendOptions> Options { get; } =
        Microsoft.Extensions.Options.Options.Create(new RedisBackendOptions { KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..12] });

    public static async Task<TestBackend> ConnectAsync(string connectionString) =>
        new(await RedisClient.ConnectAsync(connectionString));

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
