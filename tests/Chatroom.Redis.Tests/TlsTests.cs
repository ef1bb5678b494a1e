using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Rooms;
using Chatroom.Redis.Bus;
using Chatroom.Redis.Rooms;
using Chatroom.Testing.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.Redis.Tests;

/// <summary>One TLS-only redis-server (no plain port) with a certificate from a CA made for it alone.</summary>
public sealed class RedisTlsServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public string CaFile => Server.CaCertificateFile!;

    public async Task InitializeAsync() => Server = await RedisServer.StartTlsAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class TlsTests(RedisTlsServerFixture redis) : IClassFixture<RedisTlsServerFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(20000);

    [Fact]
    public async Task TalksTlsWithTheAspireFormTrustingTheConfiguredCa()
    {
        var ct = CancellationToken.None;
        await using var backend = await TestBackend.ConnectAsync($"{redis.Server.Endpoint},ssl=true,connectTimeout=3000",
            new RedisBackendOptions { CaCertificateFile = redis.CaFile });
        Assert.True(backend.Redis.IsConnected);
        var rooms = new RedisRoomStore(backend.Redis, backend.Options);
        Assert.True(await rooms.TryCreateAsync(new Room("über-tls", "über TLS", "owner", Now), ct));
        Assert.Equal("über TLS", (await rooms.GetAsync("über-tls", ct))?.Topic);
        var key = new RedisKeys(backend.Options.Value.KeyPrefix).Room("über-tls");
        Assert.Equal("über TLS", (await redis.Server.CliAsync("HGET", key, "topic")).Trim());

        // Pub/sub runs on a connection of its own, over TLS too.
        var bus = new RedisChatBus(backend.Redis, backend.Options, NullLogger<RedisChatBus>.Instance);
        var got = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await bus.SubscribeAsync("über-tls", e =>
        {
            if (e.Type == ChatEventTypes.Message)
            {
                got.TrySetResult(e.Data.GetProperty("text").GetString()!);
            }

            return ValueTask.CompletedTask;
        }, ct);
        await bus.PublishAsync(new ChatEvent(ChatEventTypes.Message, "über-tls", ChatJson.ToElement(new { text = "hello" })), ct);
        Assert.Equal("hello", await got.Task.WaitAsync(TimeSpan.FromSeconds(5), ct));
    }

    [Fact]
    public async Task ReadsTheCaFromTheConnectionStringAsTheHelmChartWritesIt()
    {
        var ct = CancellationToken.None;
        await using var backend = await TestBackend.ConnectAsync($"{redis.Server.Endpoint},ssl=true,sslCaFile={redis.CaFile},connectTimeout=3000,abortConnect=false");
        Assert.True(backend.Redis.IsConnected);
        Assert.True(await new RedisRoomStore(backend.Redis, backend.Options).TryCreateAsync(new Room("chart", null, "owner", Now), ct));
    }

    [Fact]
    public async Task ChecksTheNameGivenBySslHostAndSelectsTheDatabase()
    {
        var ct = CancellationToken.None;
        // Connect to the loopback address while checking the certificate for the name "localhost".
        await using var backend = await TestBackend.ConnectAsync($"{redis.Server.Endpoint},ssl=true,sslHost=localhost,defaultDatabase=2,connectTimeout=3000",
            new RedisBackendOptions { CaCertificateFile = redis.CaFile });
        Assert.True(await new RedisRoomStore(backend.Redis, backend.Options).TryCreateAsync(new Room("db2", null, "owner", Now), ct));
        var key = new RedisKeys(backend.Options.Value.KeyPrefix).Room("db2");
        Assert.Equal("db2", (await redis.Server.CliAsync("-n", "2", "HGET", key, "name")).Trim());
    }

    [Fact]
    public async Task RefusesAServerItDoesNotTrust()
    {
        // The system store does not know the test CA.
        await AssertRefusedAsync($"{redis.Server.Endpoint},ssl=true,connectTimeout=3000", caFile: null);

        // A trusted CA does not excuse a certificate for another name.
        await AssertRefusedAsync($"{redis.Server.Endpoint},ssl=true,sslHost=redis.example.org,connectTimeout=3000", redis.CaFile);

        // Nor does a CA that did not sign it: the chain must end at the configured CA.
        var otherCa = Path.Combine(Path.GetTempPath(), "chatroom-other-ca-" + Guid.NewGuid().ToString("N") + ".crt");
        using (var other = TestCertificates.CreateCa("CN=Some other CA"))
        {
            await File.WriteAllTextAsync(otherCa, other.ExportCertificatePem());
        }

        try
        {
            await AssertRefusedAsync($"{redis.Server.Endpoint},ssl=true,connectTimeout=3000", otherCa);
        }
        finally
        {
            File.Delete(otherCa);
        }

        // Plain text to a TLS port is refused rather than hanging.
        await AssertRefusedAsync($"{redis.Server.Endpoint},connectTimeout=1000", caFile: null);
    }

    /// <summary>The process starts (the connection is retried in the background) and every port call is refused.</summary>
    private static async Task AssertRefusedAsync(string connectionString, string? caFile)
    {
        await using var backend = await TestBackend.ConnectAsync(connectionString, new RedisBackendOptions { CaCertificateFile = caFile });
        Assert.False(backend.Redis.IsConnected);
        var error = await Assert.ThrowsAsync<BackendUnavailableException>(() =>
            new RedisRoomStore(backend.Redis, backend.Options).GetAsync("any", CancellationToken.None));
        Assert.Contains("Redis is unavailable", error.Message, StringComparison.Ordinal);
    }
}
