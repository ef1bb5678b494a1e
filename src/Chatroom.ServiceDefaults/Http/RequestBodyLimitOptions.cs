using System.ComponentModel.DataAnnotations;

namespace Chatroom.ServiceDefaults.Http;

/// <summary>
/// <c>Chatroom:Api:MaxRequestBodyBytes</c>: the largest request body under <c>/api</c> on every service (the API's, and the
/// analysis service's knowledge, classify and discussion routes), so it lives here rather than in the API's options.
/// </summary>
public sealed class RequestBodyLimitOptions
{
    public const string Section = "Chatroom:Api";

    /// <summary>Bytes; a larger body is 413 <c>payload_too_large</c>.</summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "Chatroom:Api:MaxRequestBodyBytes must be 1024-16777216.")]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
