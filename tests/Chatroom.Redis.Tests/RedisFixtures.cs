using Chatroom.Testing.Redis;
using StackExchange.Redis;

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

/// <summary>A multiplexer configured as the services configure theirs, plus options with a key prefix no other test uses.</summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private TestBackend(ConnectionMultiplexer redis) => Redis = redis;

    public ConnectionMultiplexer Redis { get; }

    public IDatabase Database => Redis.GetDatabase();

    public Microsoft.Extensions.Options.IOptions<RedisBackendOptions> Options { get; } =
        Microsoft.Extensions.Options.Options.Create(new RedisBackendOptions { KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..12] });

    public static async Task<TestBackend> ConnectAsync(string connectionString, RedisBackendOptions? backend = null) =>
        new(await RedisConnectionConfiguration.ConnectAsync(connectionString, backend));

    /// <summary>
    /// Waits for the first connect: with AbortOnConnectFail=false the library may hand back a multiplexer whose first
    /// connect is still under way (a loaded machine), and commands (and subscriptions) fail fast until it is up. For tests that need a
    /// working connection from their first command; tests of refused connections do not call it.
    /// </summary>
    public async Task<TestBackend> ConnectedAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        // The subscriber's connection is a second one over RESP2, and may come up after the interactive one.
        while (!(Redis.IsConnected && Redis.GetSubscriber().IsConnected()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return this;
    }

    public ValueTask DisposeAsync() => Redis.DisposeAsync();
}

internal static class TestCertificates
{
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 CreateCa(string subject)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
