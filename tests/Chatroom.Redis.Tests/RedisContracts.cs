using Chatroom.Core.Agents;
using Chatroom.Core.Bus;
using Chatroom.Core.Contacts;
using Chatroom.Core.GuardianCases;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Presence;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Chatroom.Core.Webhooks;
using Chatroom.Redis.Agents;
using Chatroom.Redis.Bus;
using Chatroom.Redis.Caching;
using Chatroom.Redis.Contacts;
using Chatroom.Redis.GuardianCases;
using Chatroom.Redis.Messages;
using Chatroom.Redis.Moderation;
using Chatroom.Redis.Presence;
using Chatroom.Redis.Queues;
using Chatroom.Redis.Rooms;
using Chatroom.Redis.Webhooks;
using Chatroom.Testing.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Tests;

/// <summary>Builds the Redis ports over one or more test clients and disposes them after the test.</summary>
internal sealed class RedisPorts(string connectionString) : IAsyncDisposable
{
    private readonly List<TestBackend> _backends = [];
    private readonly List<(NodeStateCache Cache, RedisChatBus Bus)> _caches = [];
    private string? _prefix;

    public async Task<TestBackend> ConnectAsync()
    {
        var backend = await (await TestBackend.ConnectAsync(connectionString)).ConnectedAsync();
        _prefix ??= backend.Options.Value.KeyPrefix;
        backend.Options.Value.KeyPrefix = _prefix;
        _backends.Add(backend);
        return backend;
    }

    /// <summary>The node cache the services register, over the backend's own bus.</summary>
    public NodeStateCache CacheFor(TestBackend backend)
    {
        var bus = new RedisChatBus(backend.Redis, backend.Options, NullLogger<RedisChatBus>.Instance);
        var cache = new NodeStateCache(backend.Redis, bus, backend.Options, NullLogger<NodeStateCache>.Instance);
        _caches.Add((cache, bus));
        return cache;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (cache, bus) in _caches)
        {
            await cache.DisposeAsync();
            bus.Dispose();
        }

        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }
}

public sealed class RedisRoomStoreContract(RedisServerFixture redis) : RoomStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IRoomStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisRoomStore(backend.Redis, backend.Options);
    }
}

public sealed class RedisBlockStoreContract(RedisServerFixture redis) : BlockStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IBlockStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisBlockStore(backend.Redis, backend.Options);
    }
}

public sealed class RedisMessageLogContract(RedisServerFixture redis) : MessageLogContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<(IRoomStore Rooms, IMessageLog Log)> CreateAsync()
    {
        var backend = await _ports.ConnectAsync();
        return (new RedisRoomStore(backend.Redis, backend.Options), new RedisMessageLog(backend.Redis, backend.Options));
    }
}

/// <summary>The same contract over RESP3 (the library speaks RESP2 unless told otherwise).</summary>
public sealed class RedisResp3MessageLogContract(RedisServerFixture redis) : MessageLogContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString + ",protocol=resp3");

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<(IRoomStore Rooms, IMessageLog Log)> CreateAsync()
    {
        var backend = await _ports.ConnectAsync();
        return (new RedisRoomStore(backend.Redis, backend.Options), new RedisMessageLog(backend.Redis, backend.Options));
    }
}

public sealed class RedisChatBusContract(RedisServerFixture redis) : ChatBusContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IChatBus> CreateBusAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisChatBus(backend.Redis, backend.Options, NullLogger<RedisChatBus>.Instance);
    }
}

/// <summary>Over RESP3, pub/sub shares the interactive connection instead of having one of its own.</summary>
public sealed class RedisResp3ChatBusContract(RedisServerFixture redis) : ChatBusContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString + ",protocol=resp3");

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IChatBus> CreateBusAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisChatBus(backend.Redis, backend.Options, NullLogger<RedisChatBus>.Instance);
    }
}

public sealed class RedisWorkQueueContract(RedisServerFixture redis) : WorkQueueContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IWorkQueue> CreateQueueAsync(QueueOptions options)
    {
        var backend = await _ports.ConnectAsync();
        return new RedisWorkQueue(backend.Redis, Microsoft.Extensions.Options.Options.Create(options), backend.Options);
    }
}

public sealed class RedisPresenceStoreContract(RedisServerFixture redis) : PresenceStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IPresenceStore> CreateStoreAsync(PresenceOptions options)
    {
        var backend = await _ports.ConnectAsync();
        return new RedisPresenceStore(backend.Redis, Options.Create(options), backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterMessageLogContract(RedisClusterFixture redis) : MessageLogContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<(IRoomStore Rooms, IMessageLog Log)> CreateAsync()
    {
        var backend = await _ports.ConnectAsync();
        Assert.Contains(backend.Redis.GetServers(), s => s.ServerType == ServerType.Cluster);
        return (new RedisRoomStore(backend.Redis, backend.Options), new RedisMessageLog(backend.Redis, backend.Options));
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterRoomStoreContract(RedisClusterFixture redis) : RoomStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IRoomStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisRoomStore(backend.Redis, backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterBlockStoreContract(RedisClusterFixture redis) : BlockStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IBlockStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisBlockStore(backend.Redis, backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterChatBusContract(RedisClusterFixture redis) : ChatBusContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IChatBus> CreateBusAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisChatBus(backend.Redis, backend.Options, NullLogger<RedisChatBus>.Instance);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterWorkQueueContract(RedisClusterFixture redis) : WorkQueueContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IWorkQueue> CreateQueueAsync(QueueOptions options)
    {
        var backend = await _ports.ConnectAsync();
        return new RedisWorkQueue(backend.Redis, Microsoft.Extensions.Options.Options.Create(options), backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterPresenceStoreContract(RedisClusterFixture redis) : PresenceStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IPresenceStore> CreateStoreAsync(PresenceOptions options)
    {
        var backend = await _ports.ConnectAsync();
        return new RedisPresenceStore(backend.Redis, Options.Create(options), backend.Options);
    }
}

public sealed class RedisModerationStoreContract(RedisServerFixture redis) : ModerationStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IModerationStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisModerationStore(backend.Redis, backend.Options);
    }
}

public sealed class RedisAgentStoreContract(RedisServerFixture redis) : AgentStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IAgentStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisAgentStore(backend.Redis, backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterModerationStoreContract(RedisClusterFixture redis) : ModerationStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IModerationStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisModerationStore(backend.Redis, backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterAgentStoreContract(RedisClusterFixture redis) : AgentStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IAgentStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisAgentStore(backend.Redis, backend.Options);
    }
}

public sealed class RedisTopicWatchStoreContract(RedisServerFixture redis) : TopicWatchStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<ITopicWatchStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisTopicWatchStore(backend.Redis, backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterTopicWatchStoreContract(RedisClusterFixture redis) : TopicWatchStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<ITopicWatchStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisTopicWatchStore(backend.Redis, backend.Options);
    }
}

public sealed class RedisDiscussionStoreContract(RedisServerFixture redis) : DiscussionStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IDiscussionStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisDiscussionStore(backend.Redis, backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterDiscussionStoreContract(RedisClusterFixture redis) : DiscussionStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IDiscussionStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisDiscussionStore(backend.Redis, backend.Options);
    }
}

public sealed class RedisParticipantStoreContract(RedisServerFixture redis) : ParticipantStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IParticipantStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisParticipantStore(backend.Redis, backend.Options);
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterParticipantStoreContract(RedisClusterFixture redis) : ParticipantStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IParticipantStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisParticipantStore(backend.Redis, backend.Options);
    }
}

public sealed class RedisRoomRulesStoreContract(RedisServerFixture redis) : RoomRulesStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<(IRoomStore Rooms, IRoomRulesStore Rules)> CreateAsync()
    {
        var backend = await _ports.ConnectAsync();
        return (new RedisRoomStore(backend.Redis, backend.Options), new RedisRoomRulesStore(backend.Redis, backend.Options));
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterRoomRulesStoreContract(RedisClusterFixture redis) : RoomRulesStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<(IRoomStore Rooms, IRoomRulesStore Rules)> CreateAsync()
    {
        var backend = await _ports.ConnectAsync();
        return (new RedisRoomStore(backend.Redis, backend.Options), new RedisRoomRulesStore(backend.Redis, backend.Options));
    }
}

public sealed class RedisGuardianCaseStoreContract(RedisServerFixture redis) : GuardianCaseStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<(IGuardianCaseStore Cases, IContactRestrictionStore Restrictions, IGuardianSettingsStore Settings)> CreateStoresAsync()
    {
        var backend = await _ports.ConnectAsync();
        return (new RedisGuardianCaseStore(backend.Redis, backend.Options), new RedisContactRestrictionStore(backend.Redis, backend.Options),
            new RedisGuardianSettingsStore(backend.Redis, backend.Options));
    }
}

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterGuardianCaseStoreContract(RedisClusterFixture redis) : GuardianCaseStoreContract
{
    private readonly RedisPorts _ports = new(redis.Cluster.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<(IGuardianCaseStore Cases, IContactRestrictionStore Restrictions, IGuardianSettingsStore Settings)> CreateStoresAsync()
    {
        var backend = await _ports.ConnectAsync();
        return (new RedisGuardianCaseStore(backend.Redis, backend.Options), new RedisContactRestrictionStore(backend.Redis, backend.Options),
            new RedisGuardianSettingsStore(backend.Redis, backend.Options));
    }
}

public sealed class RedisWebhookStoreContract(RedisServerFixture redis) : WebhookStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IWebhookStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisWebhookStore(backend.Redis, backend.Options);
    }
}

/// <summary>The same contract with the node cache the services register (reads of rooms, bans, mutes and watches served from it).</summary>
public sealed class RedisCachedRoomStoreContract(RedisServerFixture redis) : RoomStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IRoomStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisRoomStore(backend.Redis, backend.Options, _ports.CacheFor(backend));
    }
}

/// <summary>The same contract with the node cache the services register (reads of rooms, bans, mutes and watches served from it).</summary>
public sealed class RedisCachedModerationStoreContract(RedisServerFixture redis) : ModerationStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<IModerationStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisModerationStore(backend.Redis, backend.Options, _ports.CacheFor(backend));
    }
}

/// <summary>The same contract with the node cache the services register (reads of rooms, bans, mutes and watches served from it).</summary>
public sealed class RedisCachedTopicWatchStoreContract(RedisServerFixture redis) : TopicWatchStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly RedisPorts _ports = new(redis.Server.ConnectionString);

    public override async Task DisposeAsync() => await _ports.DisposeAsync();

    protected override async Task<ITopicWatchStore> CreateStoreAsync()
    {
        var backend = await _ports.ConnectAsync();
        return new RedisTopicWatchStore(backend.Redis, backend.Options, _ports.CacheFor(backend));
    }
}
