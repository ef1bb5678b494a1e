using Chatroom.Core.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Chatroom.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry without the hosting package (which does not restore here): providers built with the
/// SDK, owned by the container, metrics always scrapeable at <c>/metrics</c>, OTLP when configured.
/// </summary>
public static class ChatTelemetryExtensions
{
    /// <summary>Meters the SDK listens to: ours and what ASP.NET Core, Kestrel, SignalR, HttpClient and the runtime publish.</summary>
    internal static readonly string[] Meters =
    [
        ChatMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http",
        "System.Runtime",
        // Microsoft.Extensions.AI's UseOpenTelemetry: gen_ai.client.operation.duration and gen_ai.client.token.usage.
        "Experimental.Microsoft.Extensions.AI",
    ];

    internal static readonly string[] Sources = [ChatMetrics.ActivitySourceName, "Microsoft.AspNetCore", "System.Net.Http", "Experimental.Microsoft.Extensions.AI"];

    public static IHostApplicationBuilder AddChatTelemetry(this IHostApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (otlp)
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(resource);
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
                o.AddOtlpExporter();
            });
        }

        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ChatMetrics>();
        builder.Services.AddSingleton<PrometheusTextExporter>();
        builder.Services.AddSingleton(sp =>
        {
            var exporter = sp.GetRequiredService<PrometheusTextExporter>();
            var reader = new BaseExportingMetricReader(exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
            var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters).AddReader(reader);
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }

            return metrics.Build();
        });

        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Sources);
            if (otlp)
            {
                tracing.AddOtlpExporter();
            }

            return tracing.Build();
        });

        // Providers are built at start-up, not on first use, so nothing measured before the first scrape is lost.
        builder.Services.AddHostedService<TelemetryStartup>();
        return builder;
    }

    /// <summary>Serves <c>/metrics</c> and keeps probe requests out of traces.</summary>
    public static WebApplication MapChatTelemetry(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            if (IsProbe(context.Request.Path) && System.Diagnostics.Activity.Current is { } activity)
            {
                activity.IsAllDataRequested = false;
                activity.ActivityTraceFlags &= ~System.Diagnostics.ActivityTraceFlags.Recorded;
            }

            return next(context);
        });

        app.MapGet("/metrics", static (PrometheusTextExporter exporter) =>
                Results.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8"))
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");

    private sealed class TelemetryStartup(MeterProvider meters, TracerProvider traces) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            meters.ForceFlush(2_000);
            traces.ForceFlush(2_000);
            return Task.CompletedTask;
        }
    }
}
