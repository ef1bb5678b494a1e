using System.Net;
using Chatroom.Core.Errors;
using Chatroom.Core.Presence;
using Chatroom.Core.Rooms;
using Chatroom.Redis.Presence;
using Chatroom.Redis.Rooms;
using Chatroom.Testing.Redis;
using StackExchange.Redis;

namespace Chatroom.Redis.Tests;

public sealed class ConnectionConfigurationTests
{
    [Fact]
    public void ReadsTheAspireFormAndAddsWhatThePortsNeed()
    {
        var options = RedisConnectionConfiguration.Create(
            "cache:6380,redis2:6381,password=s3cr=t,user=app,ssl=true,sslHost=redis.internal,defaultDatabase=2,connectTimeout=1500,syncTimeout=700");
        Assert.Equal([new DnsEndPoint("cache", 6380), new DnsEndPoint("redis2", 6381)], options.EndPoints.Cast<DnsEndPoint>());
        Assert.Equal("s3cr=t", options.Password);
        Assert.Equal("app", options.User);
        Assert.True(options.Ssl);
        Assert.Equal("redis.internal", options.SslHost);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.Equal(1500, options.ConnectTimeout);
        Assert.Equal(700, options.SyncTimeout);

        // Start while Redis is down, and refuse at once rather than queue while it is.
        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
    }

    [Fact]
    public void AMissingCaFileIsReportedAtStartNotAtTheFirstHandshake()
    {
        var missing = Path.Combine(Path.GetTempPath(), "chatroom-missing-ca-" + Guid.NewGuid().ToString("N") + ".crt");
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            RedisConnectionConfiguration.Create("redis:6379,ssl=true", new RedisBackendOptions { CaCertificateFile = missing }));
    }

    [Fact]
    public void TakesTheOldClientsCaFileOptionOutOfTheString()
    {
        Assert.Equal(("cache:6379,ssl=true,password=a=b", "/etc/ca.pem"),
            RedisConnectionConfiguration.TakeCaFile("cache:6379,ssl=true,sslCaFile=/etc/ca.pem,password=a=b"));
        Assert.Equal(("cache:6379", null), RedisConnectionConfiguration.TakeCaFile("cache:6379"));
        Assert.ThrowsAny<ArgumentException>(() => RedisConnectionConfiguration.TakeCaFile("cache:6379,sslcafile="));
    }

    [Fact]
    public void RefusesUnknownOptions() =>
        Assert.ThrowsAny<ArgumentException>(() => RedisConnectionConfiguration.Create("host:6379,bogus=1"));
}

public sealed class ServerFeatureTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(20000);

    [Fact]
    public async Task AuthenticatesWithAnAclUserAndSelectsTheDatabase()
    {
        var ct = CancellationToken.None;
        await redis.Server.CliAsync("ACL", "SETUSER", "chat-app", "on", ">pw-123", "~*", "&*", "+@all");
        await using var backend = await TestBackend.ConnectAsync($"{redis.Server.Endpoint},user=chat-app,password=pw-123,defaultDatabase=5");
        var rooms = new RedisRoomStore(backend.Redis, backend.Options);
        Assert.True(await rooms.TryCreateAsync(new Room("acl", null, "owner", Now), ct));
        var key = new RedisKeys(backend.Options.Value.KeyPrefix).Room("acl");
        Assert.Equal("acl", (await redis.Server.CliAsync("-n", "5", "HGET", key, "name")).Trim());
        Assert.Equal(string.Empty, (await redis.Server.CliAsync("-n", "0", "HGET", key, "name")).Trim());

    }

    [Fact]
    public async Task WrongCredentialsAreRefusedWhenTheDefaultUserIsOff()
    {
        // A failed AUTH leaves a connection logged in as Redis's default user: refusing wrong credentials is the
        // server's job, so this server has the default user switched off, as a deployment with ACL users should.
        var ct = CancellationToken.None;
        await using var server = await RedisServer.StartAsync();
        await server.CliAsync("ACL", "SETUSER", "chat-app", "on", ">pw-123", "~*", "&*", "+@all");
        await server.CliAsync("ACL", "SETUSER", "default", "off");

        await using var allowed = await TestBackend.ConnectAsync($"{server.Endpoint},user=chat-app,password=pw-123");
        Assert.True(await new RedisRoomStore(allowed.Redis, allowed.Options).TryCreateAsync(new Room("acl", null, "owner", Now), ct));

        // The process still starts, and the ports say the backend is unavailable.
        await using var refused = await TestBackend.ConnectAsync($"{server.Endpoint},user=chat-app,password=wrong,connectTimeout=1000");
        Assert.False(refused.Redis.IsConnected);
        await Assert.ThrowsAsync<BackendUnavailableException>(() => new RedisRoomStore(refused.Redis, refused.Options).GetAsync("acl", ct));
    }

    [Fact]
    public async Task ADeadNodesUsersAreSweptAway()
    {
        await using var backend = await TestBackend.ConnectAsync(redis.Server.ConnectionString);
        var options = Microsoft.Extensions.Options.Options.Create(new PresenceOptions { NodeTimeout = TimeSpan.FromMilliseconds(300) });
        var presence = new RedisPresenceStore(backend.Redis, options, backend.Options);
        var ct = CancellationToken.None;
        await presence.HeartbeatAsync("dying", ct);
        await presence.HeartbeatAsync("alive", ct);
        await presence.ConnectAsync(new PresenceEntry("c1", "ann", "Ann", "dying"), ct);
        await presence.JoinAsync("room", new PresenceEntry("c1", "ann", "Ann", "dying"), ct);
        await presence.ConnectAsync(new PresenceEntry("c2", "bob", "Bob", "alive"), ct);
        await presence.JoinAsync("room", new PresenceEntry("c2", "bob", "Bob", "alive"), ct);
        await presence.ConnectAsync(new PresenceEntry("c3", "bob", "Bob", "dying"), ct);
        await presence.JoinAsync("room", new PresenceEntry("c3", "bob", "Bob", "dying"), ct);

        await Task.Delay(200);
        await presence.HeartbeatAsync("alive", ct);
        await Task.Delay(200);
        await presence.HeartbeatAsync("alive", ct);

        var departures = await presence.SweepAsync(ct);
        Assert.Equal([new PresenceDeparture("room", new PresentUser("ann", "Ann"))], departures);
        Assert.Equal([new PresentUser("bob", "Bob")], await presence.ListAsync("room", ct));
        Assert.Equal(1, await presence.CountUsersAsync(ct));
        Assert.Empty(await presence.SweepAsync(ct));
    }
}
