using System.Buffers;
using System.Text;
using Chatroom.Core.Presence;
using Chatroom.Redis.Client;
using Chatroom.Redis.Presence;
using Chatroom.Redis.Protocol;

namespace Chatroom.Redis.Tests;

public sealed class ProtocolTests
{
    [Theory]
    [InlineData("+OK\r\n", "SimpleString:OK")]
    [InlineData(":-42\r\n", "Integer:-42")]
    [InlineData("$5\r\nhello\r\n", "BulkString:hello")]
    [InlineData("$-1\r\n", "Null:nil")]
    [InlineData("_\r\n", "Null:nil")]
    [InlineData("#t\r\n", "Boolean:1")]
    [InlineData(",3.5\r\n", "Double:3.5")]
    [InlineData("(12345678901234567890\r\n", "BigNumber:12345678901234567890")]
    [InlineData("=8\r\ntxt:abcd\r\n", "BulkString:abcd")]
    [InlineData("*2\r\n$1\r\na\r\n:1\r\n", "Array[BulkString:a, Integer:1]")]
    [InlineData("%1\r\n+k\r\n+v\r\n", "Map[SimpleString:k, SimpleString:v]")]
    [InlineData("~1\r\n+x\r\n", "Set[SimpleString:x]")]
    [InlineData(">2\r\n+message\r\n+hi\r\n", "Push[SimpleString:message, SimpleString:hi]")]
    [InlineData("|1\r\n+ttl\r\n:3\r\n+OK\r\n", "SimpleString:OK")]
    public void ParsesEveryReplyType(string wire, string expected)
    {
        var frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(wire));
        var reader = new SequenceReader<byte>(frame);
        Assert.True(RespParser.TrySkip(ref reader));
        Assert.Equal(frame.Length, reader.Consumed);
        Assert.Equal(expected, RespParser.Read(frame).ToString());
    }

    [Fact]
    public void IncompleteFramesAskForMoreBytes()
    {
        var whole = "*2\r\n$5\r\nhello\r\n$5\r\nworld\r\n"u8.ToArray();
        for (var length = 0; length < whole.Length; length++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(whole, 0, length));
            Assert.False(RespParser.TrySkip(ref reader));
        }
    }

    [Fact]
    public void WritesCommandsAsArraysOfBulkStrings()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var command = new RedisCommand(Commands.Set, 2);
        command.Add("k€y");
        command.Add(-7);
        command.WriteTo(buffer);
        command.Return();
        Assert.Equal("*3\r\n$3\r\nSET\r\n$5\r\nk€y\r\n$2\r\n-7\r\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("123456789", 12739)]
    [InlineData("foo", 12182)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("foo{}{bar}", 8363)]
    [InlineData("chat:{room:lobby}:log", -1)]
    public void HashesKeysToClusterSlots(string key, int expected)
    {
        var slot = HashSlot.Of(key);
        Assert.Equal(expected >= 0 ? expected : HashSlot.Of("room:lobby"), slot);
    }
}

public sealed class ConnectionStringTests
{
    [Fact]
    public void ReadsTheAspireForm()
    {
        var options = RedisOptions.Parse("cache:6380,redis2:6381,password=s3cr=t,user=app,ssl=true,defaultDatabase=2,connectTimeout=1500,syncTimeout=700,abortConnect=false");
        Assert.Equal([new RedisEndpoint("cache", 6380), new RedisEndpoint("redis2", 6381)], options.Endpoints);
        Assert.Equal("s3cr=t", options.Password);
        Assert.Equal("app", options.User);
        Assert.True(options.Ssl);
        Assert.Equal(2, options.Database);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(700), options.CommandTimeout);
    }

    [Fact]
    public void ReadsUris()
    {
        var plain = RedisOptions.Parse("redis://localhost");
        Assert.Equal(new RedisEndpoint("localhost", 6379), Assert.Single(plain.Endpoints));
        Assert.False(plain.Ssl);

        var full = RedisOptions.Parse("rediss://bob:p%40ss@redis.example:7000/3?syncTimeout=250");
        Assert.Equal(new RedisEndpoint("redis.example", 7000), Assert.Single(full.Endpoints));
        Assert.Equal(("bob", "p@ss", 3, true), (full.User, full.Password, full.Database, full.Ssl));
        Assert.Equal(TimeSpan.FromMilliseconds(250), full.CommandTimeout);

        Assert.Equal("only", RedisOptions.Parse("redis://:only@h:1").Password);
    }

    [Theory]
    [InlineData("host:6379,bogus=1")]
    [InlineData("password=x")]
    [InlineData("host:port")]
    [InlineData("redis://h/notanumber")]
    public void RefusesMalformedStrings(string text) => Assert.Throws<FormatException>(() => RedisOptions.Parse(text));
}

public sealed class ServerFeatureTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task AuthenticatesWithAnAclUserAndSelectsTheDatabase()
    {
        await redis.Server.CliAsync("ACL", "SETUSER", "chat-app", "on", ">pw-123", "~*", "&*", "+@all");
        await using var client = await RedisClient.ConnectAsync($"redis://chat-app:pw-123@{redis.Server.Endpoint}/5");
        await client.SetAsync("acl-key", "in-db-5", CancellationToken.None);
        Assert.Equal("in-db-5", await client.GetAsync("acl-key", CancellationToken.None));
        Assert.Equal("in-db-5", (await redis.Server.CliAsync("-n", "5", "GET", "acl-key")).Trim());

        await Assert.ThrowsAsync<RedisConnectionException>(() => RedisClient.ConnectAsync($"{redis.Server.Endpoint},user=chat-app,password=wrong"));
    }

    [Fact]
    public async Task PipelinesManyCommandsOnOneConnection()
    {
        await using var client = await RedisClient.ConnectAsync(redis.Server.ConnectionString);
        var writes = Enumerable.Range(0, 5000).Select(i => client.SetAsync($"pipe:{i}", $"v{i}", CancellationToken.None).AsTask());
        await Task.WhenAll(writes);
        var reads = await Task.WhenAll(Enumerable.Range(0, 5000).Select(i => client.GetAsync($"pipe:{i}", CancellationToken.None).AsTask()));
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"v{i}"), reads);
        Assert.Null(await client.GetAsync("pipe:none", CancellationToken.None));
    }

    [Fact]
    public async Task ADeadNodesUsersAreSweptAway()
    {
        await using var backend = await TestBackend.ConnectAsync(redis.Server.ConnectionString);
        var options = Microsoft.Extensions.Options.Options.Create(new PresenceOptions { NodeTimeout = TimeSpan.FromMilliseconds(300) });
        var presence = new RedisPresenceStore(backend.Client, options, backend.Options);
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
