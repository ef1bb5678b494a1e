using System.Threading.RateLimiting;
using Chatroom.Accounts;
using Chatroom.Api.Accounts;
using Chatroom.Api.Admin;
using Chatroom.Api.Agents;
using Chatroom.Api.Auth;
using Chatroom.Api.Conversations;
using Chatroom.Api.Guardians;
using Chatroom.Api.Integrations;
using Chatroom.Api.Mcp;
using Chatroom.Api.Moderation;
using Chatroom.Api.Posting;
using Chatroom.Api.Rooms;
using Chatroom.Backends;
using Chatroom.Core.Errors;
using Chatroom.Core.GuardianCases;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chatroom.Api;

public static class ChatApiExtensions
{
    /// <summary>The REST API: auth, rooms, history, admin; its options, rate limits and OpenAPI document.</summary>
    public static IHostApplicationBuilder AddChatApi(this IHostApplicationBuilder builder)
    {
        builder.AddChatCore();

        // Here rather than in Chatroom.Backends: the backends there are shared by every service (the socket server and
        // the analysis worker compose them too), while only the API holds the accounts store, and pulling Identity and
        // EF Core into the others for a switch only the API reads would not be cleaner.
        builder.AddChatAccounts();
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<DefaultRoomSeeder>();
        builder.Services.AddSingleton<ApiSenders>();
        builder.Services.AddSingleton<MessagePosting>();
        builder.Services.AddSingleton<IGuardianEventSource, AuditSafetyEvents>();
        builder.Services.AddSingleton<IGuardianEventSource, GuardianCaseSafetyEvents>();
        builder.Services.AddSingleton<AppealLimiter>();
        builder.Services.TryAddSingleton<GuardianCaseMetrics>();
        builder.AddChatMcp();
        builder.Services.AddOpenApi();
        builder.Services.AddRateLimiter(o =>
        {
            o.OnRejected = (context, _) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(60);
                return new ValueTask(ChatProblems.WriteAsync(context.HttpContext, ErrorCodes.RateLimited,
                    $"too many sign-in attempts; wait {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s", wait));
            };
            o.AddPolicy(AuthApi.RateLimitPolicy, context =>
            {
                var api = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = api.SignInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            o.AddPolicy(AccountAuthApi.SignUpRateLimitPolicy, context =>
            {
                var accounts = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccountsOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = accounts.SignUpsPerAddressPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 });
            });
        });
        return builder;
    }

    public static WebApplication MapChatApi(this WebApplication app)
    {
        // The /api body limit (Chatroom:Api:MaxRequestBodyBytes) is applied by MapDefaultEndpoints, for every service.
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapAuthApi();
        app.MapAccountAuthApi();
        app.MapAccountApi();
        app.MapAccountModerationApi();
        app.MapGuardianApi();
        app.MapRoomsApi();
        app.MapConversationsApi();
        app.MapPostingApi();
        app.MapAdminApi();
        app.MapModerationAdminApi();
        app.MapRoomRulesApi();
        app.MapAppealsApi();
        app.MapGuardianAdminApi();
        app.MapAgentsApi();
        app.MapChatMcp();
        app.MapBotsApi();
        app.MapWebhooksApi();
        app.MapIncomingWebhooksApi();
        app.MapBridgesApi();
        return app;
    }
}
