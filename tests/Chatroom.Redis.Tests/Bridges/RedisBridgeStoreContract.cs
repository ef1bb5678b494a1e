using Chatroom.Core.Bridges;
using Chatroom.Redis.Bridges;
using Chatroom.Testing.Contracts;

namespace Chatroom.Redis.Tests.Bridges;

public sealed class RedisBridgeStoreContract(RedisServerFixture redis) : BridgeStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IBridgeStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisBridgeStore(backend.Redis, backend.Options);
    }
}
