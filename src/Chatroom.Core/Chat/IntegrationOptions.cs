using System.ComponentModel.DataAnnotations;

namespace Chatroom.Core.Chat;

/// <summary><c>Chatroom:Integrations</c>: limits shared by every way programs take part (bots, webhooks, MCP, agents).</summary>
public sealed class IntegrationOptions
{
    public const string Section = "Chatroom:Integrations";

    /// <summary>
    /// How many automated answers may follow a person's message in one chain (a bot answering a webhook delivery
    /// answering a bot …). A post beyond it is dropped with <c>loop_detected</c>: two programs answering each other stop
    /// after this many messages instead of flooding the room.
    /// </summary>
    [Range(1, 100)]
    public int MaxHops { get; set; } = 3;
}
