using System.Net;
using Chatroom.ServiceDefaults.Http;

namespace Chatroom.Analysis.Webhooks;

public static class ChatWebhooksExtensions
{
    /// <summary>Outgoing webhooks: delivery creation (called by the analysis worker), the sender and its worker.</summary>
    public static IHostApplicationBuilder AddChatWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection(WebhookOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.AllowedNetworks.All(n => IPNetwork.TryParse(n, out _)),
                "Chatroom:Webhooks:AllowedNetworks must be networks in CIDR notation (10.0.0.0/8, fd00::/8).")
            .Validate(o => o.RetrySchedule.All(w => w > TimeSpan.Zero), "Chatroom:Webhooks:RetrySchedule waits must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboundAddressPolicy>();
        builder.Services.AddSingleton<WebhookMetrics>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var policy = sp.GetRequiredService<OutboundAddressPolicy>();
                return new SocketsHttpHandler
                {
                    // A redirect is a failed try: following one could lead inside (the guard would refuse it, but the
                    // receiver gets no say in where its events go either).
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, cancellationToken) => policy.ConnectAsync(context.DnsEndPoint, cancellationToken),
                };
            })
            .WithoutStandardResilience();
        builder.Services.AddHostedService<WebhookDeliveryWorker>();
        builder.Services.AddHostedService<WebhookRetentionWorker>();
        return builder;
    }
}
