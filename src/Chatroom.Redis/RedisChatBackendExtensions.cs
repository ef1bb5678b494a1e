using Chatroom.Core.Agents;
using Chatroom.Core.Bus;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Presence;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Chatroom.Redis.Agents;
using Chatroom.Redis.Bus;
using Chatroom.Redis.Messages;
using Chatroom.Redis.Moderation;
using Chatroom.Redis.Presence;
using Chatroom.Redis.Queues;
using Chatroom.Redis.Rooms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatroom.Redis;

/// <summary>Registers the Redis implementations of every port.</summary>
public static class RedisChatBackendExtensions
{
    /// <summary>
    /// One <see cref="RedisClient"/> (connecting in the background, disposed with the container) and the
    /// eight ports as singletons. Expects <c>IOptions&lt;QueueOptions&gt;</c>, <c>IOptions&lt;PresenceOptions&gt;</c>,
    /// <see cref="TimeProvider"/>, <c>IConfiguration</c> and logging to be registered; <see cref="RedisBackendOptions"/> binds
    /// <c>Chatroom:Redis</c>.
    /// </summary>
    public static IServiceCollection AddRedisChatBackends(this IServiceCollection services, string connectionString)
    {
        var redisOptions = RedisOptions.Parse(connectionString);
        services.AddOptions<RedisBackendOptions>().BindConfiguration(RedisBackendOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyPrefix) && o.MessageLogMaxLength > 0 && o.DeadLetterMaxLength > 0
                && o.AuditLogMaxLength > 0 && o.DeduplicationWindow > TimeSpan.Zero,
                "Chatroom:Redis needs a KeyPrefix, positive MessageLogMaxLength, DeadLetterMaxLength and AuditLogMaxLength, and DeduplicationWindow > 0.")
            .ValidateOnStart();
        services.AddSingleton(provider => RedisClient.Create(redisOptions, provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IRoomStore, RedisRoomStore>();
        services.AddSingleton<IMessageLog, RedisMessageLog>();
        services.AddSingleton<IChatBus, RedisChatBus>();
        services.AddSingleton<IWorkQueue, RedisWorkQueue>();
        services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        services.AddSingleton<IModerationStore, RedisModerationStore>();
        services.AddSingleton<IAgentStore, RedisAgentStore>();
        services.AddSingleton<ITopicWatchStore, RedisTopicWatchStore>();
        services.AddSingleton<IDiscussionStore, RedisDiscussionStore>();
        return services;
    }
}
