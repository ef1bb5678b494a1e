using System.Text.Json;
using System.Text.Json.Serialization;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;

namespace Chatroom.Analysis.Bridges;

/// <summary>
/// One JSON text frame of the bridge's wire format (docs/integrations.md, "Bridges"): <c>hello</c> (we name ourselves and
/// our channels on connecting), <c>ping</c>/<c>pong</c>, and <c>message</c> — the same shape both ways:
/// <c>{type, channel, sender: {id, name}, text, id}</c>; ours also carry the author's <c>kind</c> and <c>sentAt</c>.
/// </summary>
public sealed record BridgeFrame(
    string? Type,
    string? Channel = null,
    BridgeFrameSender? Sender = null,
    string? Text = null,
    string? Id = null,
    DateTimeOffset? SentAt = null,
    string? Bridge = null,
    IReadOnlyList<string>? Channels = null)
{
    public const string Hello = "hello";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Message = "message";

    /// <summary>camelCase like the rest of the product, and absent fields left out rather than sent as null.</summary>
    public static JsonSerializerOptions Json { get; } = new(ChatJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The author kind as the product spells it everywhere (<c>user</c>, <c>bot</c>, <c>agent</c>, …).</summary>
    public static string KindOf(MessageKind kind) => JsonSerializer.Serialize(kind, ChatJson.Options).Trim('"');
}

/// <summary>Who wrote a bridged message: an id unique on its side, and the name to show.</summary>
public sealed record BridgeFrameSender(string? Id, string? Name, string? Kind = null);
