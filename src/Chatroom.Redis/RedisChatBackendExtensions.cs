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
using Chatroom.Redis.Agents;
using Chatroom.Redis.Bridges;
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
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.Redis;

/// <summary>Registers the Redis implementations of every port.</summary>
public static class RedisChatBackendExtensions
{
    /// <summary>
    /// The eight ports as singletons over the registered <c>IConnectionMultiplexer</c> (Aspire's <c>AddRedisClient</c>,
    /// configured with <see cref="RedisConnectionConfiguration.Apply"/>). Expects <c>IOptions&lt;QueueOptions&gt;</c>,
    /// <c>IOptions&lt;PresenceOptions&gt;</c>, <c>IConfiguration</c> and logging to be registered;
    /// <see cref="RedisBackendOptions"/> binds <c>Chatroom:Redis</c>.
    /// </summary>
    public static IServiceCollection AddRedisChatBackends(this IServiceCollection services)
    {
        services.AddOptions<RedisBackendOptions>().BindConfiguration(RedisBackendOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyPrefix) && o.MessageLogMaxLength > 0 && o.DeadLetterMaxLength > 0
                && o.AuditLogMaxLength > 0 && o.DeduplicationWindow > TimeSpan.Zero,
                "Chatroom:Redis needs a KeyPrefix, positive MessageLogMaxLength, DeadLetterMaxLength and AuditLogMaxLength, and DeduplicationWindow > 0.")
            .ValidateOnStart();
        services.AddSingleton<NodeStateCache>();
        services.AddSingleton<IRoomStore, RedisRoomStore>();
        services.AddSingleton<IRoomRulesStore, RedisRoomRulesStore>();
        services.AddSingleton<RedisMessageLog>();
        services.AddSingleton<IMessageLog>(sp => sp.GetRequiredService<RedisMessageLog>());
        services.AddSingleton<IMessageSendPath>(sp => sp.GetRequiredService<RedisMessageLog>());
        services.AddSingleton<IChatBus, RedisChatBus>();
        services.AddSingleton<IWorkQueue, RedisWorkQueue>();
        services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        services.AddSingleton<IModerationStore, RedisModerationStore>();
        services.AddSingleton<IAgentStore, RedisAgentStore>();
        services.AddSingleton<ITopicWatchStore, RedisTopicWatchStore>();
        services.AddSingleton<IWebhookStore, RedisWebhookStore>();
        services.AddSingleton<IBridgeStore, RedisBridgeStore>();
        services.AddSingleton<IDiscussionStore, RedisDiscussionStore>();
        services.AddSingleton<IParticipantStore, RedisParticipantStore>();
        services.AddSingleton<IGuardianCaseStore, RedisGuardianCaseStore>();
        services.AddSingleton<IContactRestrictionStore, RedisContactRestrictionStore>();
        services.AddSingleton<IGuardianSettingsStore, RedisGuardianSettingsStore>();
        services.AddSingleton<IBlockStore, RedisBlockStore>();
        return services;
    }
}
