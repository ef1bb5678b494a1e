using System.ComponentModel.DataAnnotations;

namespace Chatroom.Web;

/// <summary>Configuration section <c>Chatroom:Web</c>: where the browser app finds the API and hub, and where its files are.</summary>
public sealed class ChatWebOptions : IValidatableObject
{
    public const string SectionName = "Chatroom:Web";

    /// <summary>Base URL of the REST API as the browser sees it; empty means the same origin.</summary>
    public string ApiBase { get; set; } = "";

    /// <summary>URL of the chat hub as the browser sees it: a path on the same origin, or an absolute http(s) URL.</summary>
    public string HubUrl { get; set; } = "/hubs/chat";

    /// <summary>Folder holding the built app; empty means <c>webapp/</c> beside the application's assemblies.</summary>
    public string RootPath { get; set; } = "";

    /// <summary>The folder actually served.</summary>
    public string ResolvedRootPath => string.IsNullOrWhiteSpace(RootPath)
        ? Path.Combine(AppContext.BaseDirectory, "webapp")
        : Path.GetFullPath(RootPath);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ApiBase.Length > 0 && !IsPath(ApiBase) && !IsHttpUrl(ApiBase))
        {
            yield return new ValidationResult(
                "Chatroom:Web:ApiBase must be empty (same origin), a path starting with '/', or an absolute http(s) URL.",
                [nameof(ApiBase)]);
        }

        if (!IsPath(HubUrl) && !IsHttpUrl(HubUrl))
        {
            yield return new ValidationResult(
                "Chatroom:Web:HubUrl must be a path starting with '/' or an absolute http(s) URL.",
                [nameof(HubUrl)]);
        }
    }

    private static bool IsPath(string value) => value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal);

    internal static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
