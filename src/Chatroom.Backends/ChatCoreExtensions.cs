using Chatroom.Core.Chat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Chatroom.Backends;

public static class ChatCoreExtensions
{
    /// <summary>The chat rules (<c>Chatroom:Chat</c>) and the message path every service posts through.</summary>
    public static IHostApplicationBuilder AddChatCore(this IHostApplicationBuilder builder)
    {
        // Needed: Chatroom.Standalone composes the API, the socket server and the analysis service, and each adds the core.
        if (builder.Services.Any(d => d.ServiceType == typeof(ChatService)))
        {
            return builder;
        }

        builder.AddChatBackends();
        builder.Services.AddOptions<ChatOptions>().Bind(builder.Configuration.GetSection(ChatOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Core.Rooms.RoomNames.IsValid(o.DefaultRoom), "Chatroom:Chat:DefaultRoom must be a valid room name.")
            .ValidateOnStart();
        builder.Services.AddOptions<IntegrationOptions>().Bind(builder.Configuration.GetSection(IntegrationOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LoopGuard>();
        builder.Services.AddSingleton<ChatService>();
        builder.Services.AddSingleton<SendAdmission>();
        builder.Services.AddSingleton<Core.Rooms.RoomService>();
        builder.Services.AddSingleton<Core.Rooms.RoomAccess>();
        builder.Services.AddSingleton<Core.Contacts.ConversationService>();
        builder.Services.AddSingleton<Core.Contacts.ReportService>();
        builder.Services.AddOptions<Core.Contacts.ConversationOptions>().Bind(builder.Configuration.GetSection(Core.Contacts.ConversationOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Core.Queues.QueueRetry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Core.Queues.QueueRetry>());
        builder.Services.AddSingleton<Core.Webhooks.RoomChangeFeed>();
        Decorate<Core.Rooms.IRoomStore>(builder.Services, (sp, inner) => new Core.Webhooks.RoomChangeReportingStore(inner, sp.GetRequiredService<Core.Webhooks.RoomChangeFeed>()));
        Decorate<Core.Rooms.IRoomRulesStore>(builder.Services, (sp, inner) => new Core.Webhooks.RoomRulesChangeReportingStore(
            inner, sp.GetRequiredService<Core.Rooms.IRoomStore>(), sp.GetRequiredService<Core.Webhooks.RoomChangeFeed>()));
        builder.Services.AddSingleton<Core.Moderation.ModerationActions>();
        builder.Services.AddOptions<Core.Moderation.TrendPolicy>().Bind(builder.Configuration.GetSection(Core.Moderation.TrendPolicy.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    /// <summary>Wraps the backend's registration of <typeparamref name="TService"/> (a type, factory or instance) in <paramref name="decorate"/>.</summary>
    private static void Decorate<TService>(IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var registered = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(registered);
        services.AddSingleton(sp =>
        {
            var inner = registered.ImplementationInstance as TService
                ?? registered.ImplementationFactory?.Invoke(sp) as TService
                ?? (TService)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!);
            return decorate(sp, inner);
        });
    }
}
