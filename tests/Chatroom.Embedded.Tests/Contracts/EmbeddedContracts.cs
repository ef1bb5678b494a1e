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
using Chatroom.Embedded;
using Chatroom.Embedded.Agents;
using Chatroom.Embedded.Bus;
using Chatroom.Embedded.Contacts;
using Chatroom.Embedded.GuardianCases;
using Chatroom.Embedded.Messages;
using Chatroom.Embedded.Moderation;
using Chatroom.Embedded.Presence;
using Chatroom.Embedded.Queues;
using Chatroom.Embedded.Rooms;
using Chatroom.Embedded.Sqlite;
using Chatroom.Embedded.Webhooks;
using Chatroom.Testing.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.Embedded.Tests.Contracts;

/// <summary>A SQLite database in a temporary folder of its own, deleted afterwards.</summary>
internal sealed class TemporaryDatabase : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-contract-" + Guid.NewGuid().ToString("N"));

    public SqliteDatabase Database { get; private set; } = null!;

    public Task<SqliteDatabase> OpenAsync()
    {
        Directory.CreateDirectory(_folder);
        Database = ChatDatabase.Open(Path.Combine(_folder, "chat.db"), "NORMAL");
        return Task.FromResult(Database);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class SqliteRoomStoreContract : RoomStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<IRoomStore> CreateStoreAsync() => new SqliteRoomStore(await _database.OpenAsync(), new RoomStateCache());
}

public sealed class SqliteBlockStoreContract : BlockStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<IBlockStore> CreateStoreAsync() => new SqliteBlockStore(await _database.OpenAsync());
}

public sealed class SqliteMessageLogContract : MessageLogContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<(IRoomStore Rooms, IMessageLog Log)> CreateAsync()
    {
        var database = await _database.OpenAsync();
        return (new SqliteRoomStore(database, new RoomStateCache()), new SqliteMessageLog(database));
    }
}

public sealed class InProcessChatBusContract : ChatBusContract
{
    private InProcessChatBus? _bus;

    // One process is one node: a "second node" is the same bus.
    protected override Task<IChatBus> CreateBusAsync() =>
        Task.FromResult<IChatBus>(_bus ??= new InProcessChatBus(NullLogger<InProcessChatBus>.Instance));
}

public sealed class SqliteWorkQueueContract : WorkQueueContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-queue-" + Guid.NewGuid().ToString("N"));
    private SqliteWorkQueue? _queue;

    protected override Task<IWorkQueue> CreateQueueAsync(QueueOptions options)
    {
        Directory.CreateDirectory(_folder);
        _queue = Open(_folder, options);
        return Task.FromResult<IWorkQueue>(_queue);
    }

    public override async Task DisposeAsync()
    {
        if (_queue is not null)
        {
            await _queue.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    internal static SqliteWorkQueue Open(string folder, QueueOptions options) => new(
        SqliteDatabase.Open(Path.Combine(folder, "queues.db"), "NORMAL", SqliteWorkQueue.Schema),
        Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
}

public sealed class InMemoryPresenceStoreContract : PresenceStoreContract
{
    protected override Task<IPresenceStore> CreateStoreAsync(PresenceOptions options) =>
        Task.FromResult<IPresenceStore>(new InMemoryPresenceStore());
}

public sealed class SqliteModerationStoreContract : ModerationStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<IModerationStore> CreateStoreAsync() => new SqliteModerationStore(await _database.OpenAsync(), new RoomStateCache());
}

public sealed class SqliteAgentStoreContract : AgentStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<IAgentStore> CreateStoreAsync() => new SqliteAgentStore(await _database.OpenAsync(), TimeProvider.System);
}

public sealed class SqliteTopicWatchStoreContract : TopicWatchStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<ITopicWatchStore> CreateStoreAsync() => new SqliteTopicWatchStore(await _database.OpenAsync());
}

public sealed class SqliteDiscussionStoreContract : DiscussionStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<IDiscussionStore> CreateStoreAsync() => new SqliteDiscussionStore(await _database.OpenAsync());
}

public sealed class SqliteParticipantStoreContract : ParticipantStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<IParticipantStore> CreateStoreAsync() => new SqliteParticipantStore(await _database.OpenAsync());
}

public sealed class SqliteRoomRulesStoreContract : RoomRulesStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<(IRoomStore Rooms, IRoomRulesStore Rules)> CreateAsync()
    {
        var database = await _database.OpenAsync();
        return (new SqliteRoomStore(database, new RoomStateCache()), new SqliteRoomRulesStore(database));
    }
}

public sealed class SqliteGuardianCaseStoreContract : GuardianCaseStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<(IGuardianCaseStore Cases, IContactRestrictionStore Restrictions, IGuardianSettingsStore Settings)> CreateStoresAsync()
    {
        var database = await _database.OpenAsync();
        return (new SqliteGuardianCaseStore(database), new SqliteContactRestrictionStore(database), new SqliteGuardianSettingsStore(database));
    }
}

public sealed class SqliteWebhookStoreContract : WebhookStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<IWebhookStore> CreateStoreAsync() => new SqliteWebhookStore(await _database.OpenAsync());
}
