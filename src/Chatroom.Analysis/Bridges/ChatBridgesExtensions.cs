using Chatroom.Core.Bridges;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Bridges;

public static class ChatBridgesExtensions
{
    /// <summary>Outbound WebSocket bridges (<c>Chatroom:Bridges</c>), each carried by whichever node holds its lease.</summary>
    public static IHostApplicationBuilder AddChatBridges(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BridgesOptions>()
            .Configure(o => builder.Configuration.GetSection(BridgesOptions.Section).Bind(o.Bridges))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BridgesOptions>, BridgesOptionsValidator>();
        builder.Services.AddSingleton<BridgeMetrics>();
        var node = ServiceInstance.Name(builder.Configuration);
        builder.Services.AddSingleton<Func<string, BridgeOptions, BridgeRunner>>(sp => (name, bridge) => new BridgeRunner(
            name, bridge, node,
            sp.GetRequiredService<IBridgeStore>(), sp.GetRequiredService<IMessageLog>(), sp.GetRequiredService<IChatBus>(),
            sp.GetRequiredService<SendAdmission>(), sp.GetRequiredService<IOptions<ChatOptions>>(), sp.GetRequiredService<BridgeMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Chatroom.Analysis.Bridges")));
        builder.Services.AddHostedService<BridgeWorker>();
        return builder;
    }
}
