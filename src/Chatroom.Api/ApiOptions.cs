using System.ComponentModel.DataAnnotations;

namespace Chatroom.Api;

/// <summary><c>Chatroom:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Chatroom:Api";

    /// <summary>Largest request body under <c>/api</c>, in bytes.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Sign-in attempts per client address per minute (guest and admin together).</summary>
    [Range(1, 100_000)]
    public int SignInsPerMinute { get; set; } = 30;
}
