using Chatroom.Core.Agents;
using Chatroom.Core.Bridges;
using Chatroom.Core.Bus;
using Chatroom.Core.Contacts;
using Chatroom.Core.GuardianCases;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Presence;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Chatroom.Core.Webhooks;
using Chatroom.Embedded.Agents;
using Chatroom.Embedded.Bridges;
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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatroom.Embedded;

public static class EmbeddedBackendExtensions
{
    /// <summary>Registers the one-process backends: SQLite for rooms, messages and work queues; in-process bus and presence.</summary>
    public static IServiceCollection AddEmbeddedChatBackends(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmbeddedOptions>>().Value;
            return ChatDatabase.Open(Path.Combine(options.DataDirectory, "chatroom.db"), options.SqliteSynchronous);
        });
        services.AddSingleton<RoomStateCache>();
        services.AddSingleton<IRoomStore, SqliteRoomStore>();
        services.AddSingleton<IRoomRulesStore, SqliteRoomRulesStore>();
        services.AddSingleton<IMessageLog, SqliteMessageLog>();
        services.AddSingleton<IChatBus, InProcessChatBus>();
        services.AddSingleton<IWorkQueue>(sp => new SqliteWorkQueue(
            SqliteDatabase.Open(Path.Combine(sp.GetRequiredService<IOptions<EmbeddedOptions>>().Value.DataDirectory, "queues.db"), "NORMAL", SqliteWorkQueue.Schema),
            sp.GetRequiredService<IOptions<QueueOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.AddSingleton<IModerationStore, SqliteModerationStore>();
        services.AddSingleton<IAgentStore, SqliteAgentStore>();
        services.AddSingleton<ITopicWatchStore, SqliteTopicWatchStore>();
        services.AddSingleton<IParticipantStore, SqliteParticipantStore>();
        services.AddSingleton<IDiscussionStore, SqliteDiscussionStore>();
        services.AddSingleton<IGuardianCaseStore, SqliteGuardianCaseStore>();
        services.AddSingleton<IContactRestrictionStore, SqliteContactRestrictionStore>();
        services.AddSingleton<IGuardianSettingsStore, SqliteGuardianSettingsStore>();
        services.AddSingleton<IBlockStore, SqliteBlockStore>();
        services.AddSingleton<IWebhookStore, SqliteWebhookStore>();
        services.AddSingleton<IBridgeStore, SqliteBridgeStore>();
        return services;
    }
}
