using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Http;
using Chatroom.ServiceDefaults.Problems;
using Chatroom.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.ServiceDefaults;

/// <summary>
/// What every Chatroom process has: telemetry, health, service discovery and resilient HttpClients (as Aspire's
/// ServiceDefaults), problem+json errors and token validation.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        // "Request starting … /hubs/chat?access_token=…": browsers can only send the hub token in the query, and the
        // hosting diagnostics log the whole URL at Information. Requests are still traced (OpenTelemetry redacts query
        // values) and failures still logged; this rule comes after configuration's, so no setting turns it back on.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.AddChatTelemetry();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Clients that bring their own timeouts and retries (the model and knowledge clients in Chatroom.Analysis)
            // opt out with WithoutStandardResilience(): two pipelines would retry each other's retries.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Framework-made problems (404 from routing, 405, 500) get a code too.
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                context.ProblemDetails.Extensions["code"] = context.ProblemDetails.Status switch
                {
                    StatusCodes.Status404NotFound => ErrorCodes.NotFound,
                    StatusCodes.Status405MethodNotAllowed => ErrorCodes.InvalidRequest,
                    StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
                    >= 500 => "internal_error",
                    _ => ErrorCodes.InvalidRequest,
                };
            }
        });
        builder.Services.AddOptions<RequestBodyLimitOptions>().BindConfiguration(RequestBodyLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddExceptionHandler<ChatExceptionHandler>();
        builder.AddChatAuthentication();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // X-Forwarded-For only from the proxies named in configuration (docs/configuration.md), one hop: the
            // per-address limits must not take an address a client wrote itself.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.ForwardLimit = 1;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in TrustedProxyNetworks(builder.Configuration))
            {
                o.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>
    /// <c>/health</c> (ready: every check), <c>/alive</c> (live: the process answers) and <c>/metrics</c>,
    /// in every environment so Kubernetes probes and Prometheus always have something to call.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        if (TrustedProxyNetworks(app.Configuration).Count > 0)
        {
            app.UseForwardedHeaders();
        }

        // Every service's /api routes (the API's, and the analysis service's knowledge, classify and discussion
        // routes when it runs on its own) and the API's MCP endpoint take bodies up to Chatroom:Api:MaxRequestBodyBytes;
        // more is 413 payload_too_large.
        var maxBody = app.Services.GetRequiredService<IOptions<RequestBodyLimitOptions>>().Value.MaxRequestBodyBytes;
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/mcp"), api => api.Use((context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = maxBody;
            }

            return next(context);
        }));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapChatTelemetry();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") }).AllowAnonymous();
        return app;
    }

    /// <summary><c>Chatroom:ForwardedHeaders:KnownNetworks</c>: CIDR networks whose X-Forwarded-For is believed (none by default).</summary>
    private static IReadOnlyList<System.Net.IPNetwork> TrustedProxyNetworks(IConfiguration configuration) =>
        (configuration.GetSection("Chatroom:ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
        .Where(n => !string.IsNullOrWhiteSpace(n))
        .Select(n => System.Net.IPNetwork.TryParse(n.Trim(), out var network)
            ? network
            : throw new InvalidOperationException($"Chatroom:ForwardedHeaders:KnownNetworks: '{n}' is not a CIDR network such as 10.0.0.0/8"))
        .ToList();
}
