using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Chatroom.Web;

/// <summary>Serves the browser app (built by Vite into <c>webapp/</c>) and its <c>/config.json</c>.</summary>
public static partial class ChatWebExtensions
{
    public static IHostApplicationBuilder AddChatWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatWebOptions>()
            .Bind(builder.Configuration.GetSection(ChatWebOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new WebAppHeaders(sp.GetRequiredService<IOptions<ChatWebOptions>>().Value));
        return builder;
    }

    /// <summary>
    /// Maps <c>/config.json</c>, the app's static files and a fallback to <c>index.html</c> for every
    /// other page path (<c>/rooms/lobby</c>, <c>/admin</c>), while unknown <c>/api</c> and <c>/hubs</c>
    /// paths stay 404 problems. Call it after the other services' Map… methods.
    /// </summary>
    public static WebApplication MapChatWeb(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ChatWebOptions>>().Value;
        var headers = app.Services.GetRequiredService<WebAppHeaders>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChatWebExtensions).FullName!);
        var root = options.ResolvedRootPath;

        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            Log.WebAppMissing(logger, root);
        }

        IFileProvider files = Directory.Exists(root) ? new PhysicalFileProvider(root) : new NullFileProvider();
        var contentTypes = new FileExtensionContentTypeProvider();
        contentTypes.Mappings[".map"] = "application/json";
        contentTypes.Mappings[".webmanifest"] = "application/manifest+json";

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = contentTypes,
            OnPrepareResponse = context =>
            {
                if (context.File.Name == "index.html")
                {
                    headers.ApplyDocument(context.Context);
                }
                else
                {
                    WebAppHeaders.ApplyCaching(context.Context);
                }
            },
        });

        // The same key the API validates; a gateway without it leaves the field out (guests are on unless the API says no).
        var guests = app.Configuration["Chatroom:Auth:Guests"] is { Length: > 0 } mode ? mode.Trim().ToLowerInvariant() : null;
        var config = new ClientConfig(options.ApiBase.TrimEnd('/'), options.HubUrl, guests);
        app.MapGet("/config.json", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = WebAppHeaders.Revalidate;
                return TypedResults.Json(config);
            })
            .AllowAnonymous()
            .ExcludeFromDescription()
            .WithName("GetWebClientConfig");

        app.MapFallback("/api/{**rest}", NotFound).AllowAnonymous().ExcludeFromDescription();
        app.MapFallback("/hubs/{**rest}", NotFound).AllowAnonymous().ExcludeFromDescription();

        // "nonfile" leaves paths with a file extension to the static files (a missing asset is a 404, not the page).
        app.MapFallback("{*path:nonfile}", Results<PhysicalFileHttpResult, ProblemHttpResult> (HttpContext context) =>
            {
                var index = files.GetFileInfo("index.html");
                if (!index.Exists || index.PhysicalPath is null)
                {
                    return ChatProblems.Refusal(ErrorCodes.BackendUnavailable, "The browser app has not been built: build Chatroom.Web (it runs the npm build).");
                }

                headers.ApplyDocument(context);
                var lastModified = index.LastModified;
                var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{lastModified.UtcTicks ^ index.Length:x}\"");
                return TypedResults.PhysicalFile(index.PhysicalPath, "text/html; charset=utf-8", lastModified: lastModified, entityTag: etag);
            })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .AllowAnonymous()
            .ExcludeFromDescription();

        return app;
    }

    private static ProblemHttpResult NotFound(HttpContext context) =>
        ChatProblems.Refusal(ErrorCodes.NotFound, $"There is nothing at {context.Request.Method} {context.Request.Path}.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "The browser app is missing from {Root}: build Chatroom.Web (it runs the npm build) or set Chatroom:Web:RootPath")]
        public static partial void WebAppMissing(ILogger logger, string root);
    }
}
