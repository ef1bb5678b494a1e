using System.ComponentModel.DataAnnotations;

namespace Chatroom.Api;

/// <summary><c>Chatroom:Api</c>; its <c>MaxRequestBodyBytes</c> applies to every service and is read by ServiceDefaults.</summary>
public sealed class ApiOptions
{
    public const string Section = "Chatroom:Api";

    /// <summary>Sign-in attempts per client address per minute (guest and admin together).</summary>
    [Range(1, 100_000)]
    public int SignInsPerMinute { get; set; } = 30;

    /// <summary>Appeals one person may make per hour (each message is appealed once anyway).</summary>
    [Range(1, 1_000)]
    public int AppealsPerHour { get; set; } = 5;
}
