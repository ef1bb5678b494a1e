using Chatroom.Core.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Chatroom.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry as Aspire's ServiceDefaults set it up (hosting package, ASP.NET Core, HttpClient, runtime and process
/// instrumentation, OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), plus <c>/metrics</c> from the OpenTelemetry
/// Prometheus exporter, which names and types instruments as the specification says (<c>chatroom_messages_total</c>
/// counter, <c>_seconds</c> histograms).
/// </summary>
public static class ChatTelemetryExtensions
{
    /// <summary>Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c> meter and activity source (<c>gen_ai.client.*</c>).</summary>
    public const string GenAiTelemetryName = "Experimental.Microsoft.Extensions.AI";

    /// <summary>
    /// Agent Framework's <c>UseOpenTelemetry()</c> activity source and meter (its default name): an <c>invoke_agent</c> span
    /// per agent run, with the model calls and tool calls under it, and <c>gen_ai.client.*</c> for the run as a whole.
    /// </summary>
    public const string AgentTelemetryName = "Experimental.Microsoft.Agents.AI";

    /// <summary>
    /// Meters no instrumentation package subscribes to: ours and the GenAI ones. (The ASP.NET Core instrumentation
    /// brings hosting, Kestrel, SignalR connections, routing, diagnostics, rate limiting, authentication and the memory
    /// pool; the HttpClient, runtime and process instrumentations bring theirs.)
    /// </summary>
    internal static readonly string[] Meters = [ChatMetrics.MeterName, GenAiTelemetryName, AgentTelemetryName];

    internal static readonly string[] Sources = [ChatMetrics.ActivitySourceName, GenAiTelemetryName, AgentTelemetryName];

    /// <summary>
    /// Gauges the runtime and process instrumentation name <c>*.count</c>. Prometheus reserves <c>_count</c> for
    /// histograms and summaries (<c>promtool check metrics</c> rejects these), so they are exported under these names;
    /// every other instrument keeps the name the exporter derives from the specification.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> CountGaugeNames = new Dictionary<string, string>
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers.active",
        ["process.thread.count"] = "process.threads",
        ["process.unix.file_descriptor.count"] = "process.open_fds",
    };

    /// <summary>True when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: logs and traces are exported, so they are recorded.</summary>
    public static bool ExportsTelemetry(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static IHostApplicationBuilder AddChatTelemetry(this IHostApplicationBuilder builder)
    {
        var otlp = ExportsTelemetry(builder.Configuration);

        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            // As ASP.NET Core's templates set it: a line per request start, end and endpoint is noise at chat volumes
            // (and console writes cost the sender's thread). Logging__LogLevel__Microsoft.AspNetCore=Information brings it back.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }
        if (otlp)
        {
            // Without an exporter the OpenTelemetry logger would build records nobody reads, on the chat path too.
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
            });
        }

        builder.Services.AddSingleton<ChatMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName,
                // AddService's own instance id (a new GUID) would override the replica name Aspire sets in
                // OTEL_RESOURCE_ATTRIBUTES, and the dashboard would show the replica's telemetry under a third name.
                serviceInstanceId: ServiceInstance.TelemetryInstanceId(builder.Configuration)))
            .WithMetrics(metrics =>
            {
                foreach (var (instrument, name) in CountGaugeNames)
                {
                    metrics.AddView(instrument, name);
                }

                metrics.AddMeter(Meters)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation()
                    .AddPrometheusExporter(o =>
                    {
                        // A scrape shows what happened up to that scrape; the default 300 ms cache would hide the
                        // last sends from a scrape that follows them (tests, and an operator's curl).
                        o.ScrapeResponseCacheDurationMilliseconds = 0;
                    });
            });
        if (otlp)
        {
            // Traces only with somewhere to send them: a recorded span nobody exports still costs its allocation and
            // tags on every send, queue poll and Redis command (measured in docs/benchmarks.md).
            telemetry.WithTracing(tracing => tracing
                .SetSampler(new ChatTraceSampler())
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation());
            telemetry.UseOtlpExporter();

            // First of all hosted services (they are made in the order they were added): see TracerProviderFirst.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TracerProviderFirst>());
        }

        return builder;
    }

    /// <summary>Serves <c>/metrics</c> (Prometheus text, or OpenMetrics when the scraper asks for it).</summary>
    public static WebApplication MapChatTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint().AllowAnonymous();
        return app;
    }

    /// <summary>Probes and scrapes come every few seconds; traced, they would drown the requests worth reading.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
}
