namespace Chatroom.Core.Webhooks;

/// <summary>
/// An outgoing webhook: where events of <see cref="Events"/> in <see cref="Rooms"/> (<c>*</c> for every room) are sent,
/// signed with <see cref="Secret"/> (<c>whsec_…</c>). <see cref="OwnerUserId"/> is the bot the webhook belongs to, if
/// any: that bot's own messages are never sent back to it. A <c>410 Gone</c> answer disables it.
/// </summary>
public sealed record WebhookSubscription(
    string Id,
    string Url,
    string Secret,
    IReadOnlyList<string> Rooms,
    IReadOnlyList<string> Events,
    string? OwnerUserId,
    DateTimeOffset CreatedAt,
    bool Enabled = true,
    string? DisabledReason = null)
{
    public const string AllRooms = "*";

    public bool Wants(string room, string eventType) =>
        Enabled && Events.Contains(eventType) && (Rooms.Contains(AllRooms) || Rooms.Contains(room));
}
