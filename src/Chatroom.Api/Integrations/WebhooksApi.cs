using System.Security.Cryptography;
using Chatroom.Core.Errors;
using Chatroom.Core.Rooms;
using Chatroom.Core.Webhooks;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Integrations;

/// <summary>
/// Outgoing webhooks for admins: subscriptions, each one's delivery log, and redelivery under the same
/// <c>webhook-id</c>. The analysis service creates and sends the deliveries.
/// </summary>
public static class WebhooksApi
{
    public const int MaxUrlLength = 2048;
    public const int MaxRooms = 100;
    public const int MaxDeliveries = 200;

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/webhooks").WithTags("Integrations").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapGet("/", List).WithName("ListWebhooks").WithSummary("Lists outgoing webhook subscriptions (never their secrets).");
        group.MapPost("/", Create).WithName("CreateWebhook")
            .WithSummary("Subscribes a URL to events of some rooms; the signing secret is in this answer and nowhere else.");
        group.MapPost("/{id}/rotate", Rotate).WithName("RotateWebhookSecret")
            .WithSummary("A new signing secret, in this answer and nowhere else; deliveries from now on are signed with it.");
        group.MapDelete("/{id}", Delete).WithName("DeleteWebhook").WithSummary("Deletes a subscription and its delivery log: nothing more is sent.");
        group.MapGet("/{id}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The subscription's latest deliveries (?limit=1-200, default 50), newest first: status, tries, last status code, error, latency.");
        group.MapPost("/{id}/deliveries/{deliveryId}/redeliver", Redeliver).WithName("RedeliverWebhook")
            .WithSummary("Sends a delivery again now, under the same webhook-id, with a fresh retry schedule.");
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<WebhookView>>> List(IWebhookStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<WebhookView>>([.. (await store.ListSubscriptionsAsync(ct)).Select(WebhookView.Of)]);

    /// <summary>Refusals are thrown to the problem+json handler with their stable codes.</summary>
    internal static async Task<Created<CreatedWebhook>> Create(CreateWebhookRequest request, IWebhookStore store, TimeProvider time, CancellationToken ct)
    {
        var url = ValidateUrl(request.Url);
        var events = request.Events is { Count: > 0 } e && e.All(WebhookEvents.All.Contains)
            ? e.Distinct().ToList()
            : throw new ChatException(ErrorCodes.InvalidRequest, $"events are one or more of: {string.Join(", ", WebhookEvents.All)}");
        var rooms = request.Rooms is { Count: > 0 and <= MaxRooms } r
            ? r.Select(room => room == WebhookSubscription.AllRooms ? room : RoomNames.Validate(room)).Distinct().ToList()
            : throw new ChatException(ErrorCodes.InvalidRequest, $"rooms are 1-{MaxRooms} room names, or \"*\" for every room");
        var owner = request.BotId is { Length: > 0 } bot
            ? (bot.Length <= 32 && bot.All(char.IsAsciiHexDigitLower) ? "bot_" + bot : throw new ChatException(ErrorCodes.InvalidRequest, "botId is a bot's id"))
            : null;
        var secret = NewSecret();
        var subscription = new WebhookSubscription("wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), url, secret, rooms, events, owner,
            time.GetUtcNow());
        await store.AddSubscriptionAsync(subscription, ct);
        return TypedResults.Created($"/api/admin/webhooks/{subscription.Id}", new CreatedWebhook(WebhookView.Of(subscription), secret));
    }

    internal static async Task<Ok<CreatedWebhook>> Rotate(string id, IWebhookStore store, CancellationToken ct)
    {
        var secret = NewSecret();
        if (!await store.SetSecretAsync(id, secret, ct) || await store.GetSubscriptionAsync(id, ct) is not { } rotated)
        {
            throw new ChatException(ErrorCodes.NotFound, $"no webhook '{id}'");
        }

        return TypedResults.Ok(new CreatedWebhook(WebhookView.Of(rotated), secret));
    }

    internal static async Task<NoContent> Delete(string id, IWebhookStore store, CancellationToken ct) =>
        await store.DeleteSubscriptionAsync(id, ct) ? TypedResults.NoContent() : throw new ChatException(ErrorCodes.NotFound, $"no webhook '{id}'");

    internal static async Task<Ok<IReadOnlyList<WebhookDelivery>>> Deliveries(string id, int? limit, IWebhookStore store, CancellationToken ct)
    {
        if (limit is < 1 or > MaxDeliveries)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"limit must be 1-{MaxDeliveries}");
        }

        _ = await store.GetSubscriptionAsync(id, ct) ?? throw new ChatException(ErrorCodes.NotFound, $"no webhook '{id}'");
        return TypedResults.Ok(await store.ListDeliveriesAsync(id, limit ?? 50, ct));
    }

    internal static async Task<Accepted<WebhookDelivery>> Redeliver(string id, string deliveryId, IWebhookStore store, TimeProvider time, CancellationToken ct)
    {
        var subscription = await store.GetSubscriptionAsync(id, ct) ?? throw new ChatException(ErrorCodes.NotFound, $"no webhook '{id}'");
        var delivery = await store.GetDeliveryAsync(deliveryId, ct) is { } found && found.SubscriptionId == id
            ? found
            : throw new ChatException(ErrorCodes.NotFound, $"no delivery '{deliveryId}' of webhook '{id}'");
        if (!subscription.Enabled)
        {
            throw new ChatException(ErrorCodes.WebhookDisabled, $"webhook '{id}' is disabled ({subscription.DisabledReason}); nothing would be sent");
        }

        var again = delivery with { Status = WebhookDeliveryStatus.Pending, Attempts = 0, NextAttemptAt = time.GetUtcNow() };
        await store.SaveAsync(again, ct);
        return TypedResults.Accepted($"/api/admin/webhooks/{id}/deliveries", again);
    }

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string ValidateUrl(string? url)
    {
        if (url is null || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"url must be an absolute http(s) URL of at most {MaxUrlLength} characters, without user info or fragment");
        }

        return uri.AbsoluteUri;
    }
}
