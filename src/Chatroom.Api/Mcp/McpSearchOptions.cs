using System.ComponentModel.DataAnnotations;

namespace Chatroom.Api.Mcp;

/// <summary><c>Chatroom:Mcp:Search</c>: how the MCP <c>search</c> tool ranks.</summary>
public sealed class McpSearchOptions
{
    public const string Section = "Chatroom:Mcp:Search";

    /// <summary>
    /// Rank by meaning when the process has an embedding generator (the standalone host's local model); false keeps the
    /// word search everywhere.
    /// </summary>
    public bool ByMeaning { get; set; } = true;

    /// <summary>How long one call may spend embedding before it answers with the word search instead.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}
