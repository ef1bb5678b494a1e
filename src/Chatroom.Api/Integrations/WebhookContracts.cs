using Chatroom.Core.Webhooks;

namespace Chatroom.Api.Integrations;

/// <summary>
/// <c>POST /api/admin/webhooks</c>: where to send which events of which rooms (<c>*</c>: every room); <see cref="BotId"/>
/// names the bot the webhook belongs to, whose own messages are then never sent to it.
/// </summary>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events, IReadOnlyList<string>? Rooms, string? BotId);

/// <summary>A subscription as admins see it: never its secret.</summary>
public sealed record WebhookView(string Id, string Url, IReadOnlyList<string> Rooms, IReadOnlyList<string> Events, string? OwnerUserId,
    DateTimeOffset CreatedAt, bool Enabled, string? DisabledReason)
{
    public static WebhookView Of(WebhookSubscription s) => new(s.Id, s.Url, s.Rooms, s.Events, s.OwnerUserId, s.CreatedAt, s.Enabled, s.DisabledReason);
}

/// <summary>A new subscription with its signing secret (<c>whsec_…</c>), the one time the secret is shown.</summary>
public sealed record CreatedWebhook(WebhookView Webhook, string Secret);
