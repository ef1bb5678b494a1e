using Microsoft.AspNetCore.Http;

namespace Chatroom.Web;

/// <summary>Caching and security headers for the app's files.</summary>
internal sealed class WebAppHeaders(ChatWebOptions options)
{
    /// <summary>Vite names everything under assets/ by content hash, so a name never changes meaning.</summary>
    public const string HashedAssetsPrefix = "/assets/";
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string Revalidate = "no-cache";

    private readonly string extraConnectSources = ConnectSources(options);

    public static void ApplyCaching(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        context.Response.Headers.CacheControl = path.StartsWith(HashedAssetsPrefix, StringComparison.Ordinal) ? Immutable : Revalidate;
    }

    /// <summary>index.html: always revalidated (it names the current hashed assets) and locked down by a CSP.</summary>
    public void ApplyDocument(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = Revalidate;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request);
    }

    // User text is rendered as text, and this policy is the second line: no inline script, nothing
    // from other origins except the configured API and hub.
    private string ContentSecurityPolicy(HttpRequest request)
    {
        var socketScheme = request.IsHttps ? "wss" : "ws";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
               $"connect-src 'self' {socketScheme}://{request.Host}{extraConnectSources}; " +
               "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    private static string ConnectSources(ChatWebOptions options)
    {
        var origins = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var url in new[] { options.ApiBase, options.HubUrl })
        {
            if (ChatWebOptions.IsHttpUrl(url))
            {
                var uri = new Uri(url);
                var origin = uri.GetLeftPart(UriPartial.Authority);
                origins.Add(origin);
                origins.Add((uri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws") + origin[uri.Scheme.Length..]);
            }
        }

        return string.Concat(origins.Select(o => " " + o));
    }
}
