using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Webhooks;

/// <summary>
/// Turns what the analysis worker sees into webhook deliveries: each stored message (<c>message.created</c>, and
/// <c>mention</c> or <c>agent.replied</c> where they apply) and each flag (<c>flag.raised</c>), for every enabled
/// subscription that wants the event in that room. Called from the analysis queue's consumer, so the chat path gains
/// no write. A delivery's id is derived from the subscription and the event, so a message the worker processes twice
/// (after a crash) adds nothing new. Nothing goes back to the bot that wrote the message.
/// </summary>
public sealed partial class WebhookDispatcher(IWebhookStore store, IOptions<WebhookOptions> options, TimeProvider time)
{
    public async Task MessageStoredAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || message.Kind == MessageKind.System)
        {
            return;
        }

        var mentions = Mentions(message.Text);
        List<string> events = [WebhookEvents.MessageCreated];
        if (mentions.Count > 0)
        {
            events.Add(WebhookEvents.Mention);
        }

        if (message.Kind == MessageKind.Agent)
        {
            events.Add(WebhookEvents.AgentReplied);
        }

        await EnqueueAsync(message, events, type => new MessageEventData(message.Room, message, type == WebhookEvents.Mention ? mentions : null, null), cancellationToken);
    }

    public Task FlagRaisedAsync(ChatMessage message, VerdictRecord verdict, string action, CancellationToken cancellationToken) =>
        options.Value.Enabled
            ? EnqueueAsync(message, [WebhookEvents.FlagRaised],
                _ => new MessageEventData(message.Room, message, null, new FlagData(action, verdict.Categories, verdict.UnsafeScore)), cancellationToken)
            : Task.CompletedTask;

    private async Task EnqueueAsync(ChatMessage message, IReadOnlyList<string> events, Func<string, MessageEventData> data, CancellationToken cancellationToken)
    {
        var subscriptions = await store.ListSubscriptionsAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var deliveries = new List<WebhookDelivery>();
        foreach (var subscription in subscriptions)
        {
            // The loop guard's first rule: a bot never hears its own words back.
            if (subscription.OwnerUserId is { } owner && owner == message.AuthorId)
            {
                continue;
            }

            foreach (var type in events.Where(e => subscription.Wants(message.Room, e)))
            {
                var payload = JsonSerializer.Serialize(new WebhookPayload(type, message.SentAt, data(type)), ChatJson.Options);
                deliveries.Add(new WebhookDelivery(DeliveryId(subscription.Id, type, message), subscription.Id, type, payload, now,
                    WebhookDeliveryStatus.Pending, 0, now));
            }
        }

        await store.EnqueueAsync(deliveries, cancellationToken);
    }

    /// <summary><c>msg_</c> and 24 hex digits of SHA-256 over the subscription, event and message: stable across re-processing.</summary>
    internal static string DeliveryId(string subscriptionId, string type, ChatMessage message) =>
        "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{subscriptionId}\n{type}\n{message.Room}\n{message.Id}")))[..24];

    private static IReadOnlyList<string> Mentions(string text) =>
        [.. MentionPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase)];

    [GeneratedRegex(@"(?<![\p{L}\p{N}_])@([\p{L}\p{N}_.-]{1,32})")]
    private static partial Regex MentionPattern();
}

/// <summary>A delivery's body (Standard Webhooks' shape): the event type, when it happened, and its data.</summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, MessageEventData Data);

/// <summary>
/// The data of a message event. <c>message.kind</c> is the author's kind (user, bot, agent, webhook, bridge), so a
/// receiver can ignore programs.
/// </summary>
public sealed record MessageEventData(string Room, ChatMessage Message, IReadOnlyList<string>? Mentions, FlagData? Flag);

/// <summary>What moderation did with a flagged message, and why.</summary>
public sealed record FlagData(string Action, IReadOnlyList<string> Categories, double UnsafeScore);
