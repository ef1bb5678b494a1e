using Chatroom.Core.Agents;
using Chatroom.Core.Bus;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Presence;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Chatroom.Embedded;
using Chatroom.Redis;
using Chatroom.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatroom.Backends;

public static partial class ChatBackendExtensions
{
    private const string RedisConnectionName = "redis";

    /// <summary>
    /// Chooses the backends of every port: Redis when <c>ConnectionStrings:redis</c> is set, otherwise
    /// the embedded ones in <c>Chatroom:DataDirectory</c>. Call once per process: <see cref="ChatCoreExtensions.AddChatCore"/>
    /// does, and guards against the services a one-process host composes.
    /// </summary>
    public static IHostApplicationBuilder AddChatBackends(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<EmbeddedOptions>().Bind(builder.Configuration.GetSection(EmbeddedOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<QueueOptions>().Bind(builder.Configuration.GetSection(QueueOptions.Section))
            .Validate(o => o.MaxDeliveries >= 1 && o.ClaimTimeout > TimeSpan.Zero && o.MaxLength > 0, "Chatroom:Queues needs MaxDeliveries ≥ 1, ClaimTimeout > 0 and MaxLength > 0.")
            .ValidateOnStart();
        builder.Services.AddOptions<PresenceOptions>().Bind(builder.Configuration.GetSection(PresenceOptions.Section))
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero && o.NodeTimeout > o.HeartbeatInterval, "Chatroom:Presence:NodeTimeout must exceed HeartbeatInterval.")
            .ValidateOnStart();

        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnectionName)))
        {
            builder.Services.AddEmbeddedChatBackends();
        }
        else
        {
            // Aspire's client: ConnectionStrings:redis and Aspire:StackExchange:Redis:*, the "StackExchange.Redis"
            // health check (part of /health) and tracing. The connection is made when the ports are first resolved;
            // with AbortOnConnectFail off a process starts while Redis is down and answers backend_unavailable.
            var backend = builder.Configuration.GetSection(RedisBackendOptions.Section).Get<RedisBackendOptions>() ?? new RedisBackendOptions();
            string? connectionStringCaFile = null;
            builder.AddRedisClient(
                RedisConnectionName,
                configureSettings: settings =>
                {
                    // A span per Redis command is worth its cost only when traces are exported (AddChatTelemetry).
                    settings.DisableTracing |= !ChatTelemetryExtensions.ExportsTelemetry(builder.Configuration);
                    // sslCaFile (the old client's option, still written by the Helm chart) is not StackExchange.Redis's.
                    if (settings.ConnectionString is { } connectionString)
                    {
                        (settings.ConnectionString, connectionStringCaFile) = RedisConnectionConfiguration.TakeCaFile(connectionString);
                    }
                },
                configureOptions: options => RedisConnectionConfiguration.Apply(options, backend, connectionStringCaFile));
            builder.Services.AddRedisChatBackends();
        }

        builder.Services.AddHostedService<BackendReport>();
        builder.Services.AddHealthChecks().AddCheck<BackendHealthCheck>("backends", tags: ["ready"]);
        return builder;
    }

    /// <summary>Says at start-up which backend each port uses.</summary>
    private sealed partial class BackendReport(IServiceProvider services, ILogger<BackendReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            Report<IRoomStore>("rooms");
            Report<IMessageLog>("message log");
            Report<IChatBus>("chat bus");
            Report<IWorkQueue>("work queues");
            Report<IPresenceStore>("presence");
            Report<IModerationStore>("verdicts and moderation");
            Report<IAgentStore>("agent definitions");
            Report<ITopicWatchStore>("topic watches");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private void Report<T>(string port) where T : notnull =>
            LogBackend(logger, port, services.GetRequiredService<T>().GetType().Name);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Port {Port} uses {Implementation}")]
        private static partial void LogBackend(ILogger logger, string port, string implementation);
    }
}
