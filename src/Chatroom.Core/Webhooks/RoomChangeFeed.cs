using System.Security.Cryptography;
using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Logging;

namespace Chatroom.Core.Webhooks;

/// <summary>What happened to a room, as <c>room.changed</c> deliveries say in <c>data.change</c>.</summary>
public static class RoomChanges
{
    public const string Created = "created";
    public const string Settings = "settings";
    public const string Rules = "rules";
    public const string Deleted = "deleted";
    public const string MemberJoined = "member_joined";
    public const string MemberLeft = "member_left";
}

/// <summary>
/// The data of a <c>room.changed</c> delivery: the room, what changed, the room as it is now (null once deleted), and
/// for membership changes whose.
/// </summary>
public sealed record RoomChangedData(string Room, string Change, Room? Settings, string? UserId);

/// <summary>A <c>room.changed</c> delivery's body (Standard Webhooks' shape).</summary>
public sealed record RoomChangedPayload(string Type, DateTimeOffset Timestamp, RoomChangedData Data);

/// <summary>
/// Turns room changes into <c>room.changed</c> deliveries for the subscriptions that want them. A members-only room is
/// its members' alone: a private room's changes go only to subscriptions naming that room (never to <c>*</c>), and a
/// direct conversation's never go anywhere. The change is made already, so a failure to record deliveries is logged,
/// not passed on to whoever changed the room.
/// </summary>
public sealed partial class RoomChangeFeed(IWebhookStore store, TimeProvider time, ILogger<RoomChangeFeed> logger)
{
    public async Task ChangedAsync(Room room, string change, string? userId, bool deleted, CancellationToken cancellationToken)
    {
        if (room.Visibility == RoomVisibility.Direct)
        {
            return;
        }

        try
        {
            var subscriptions = await store.ListSubscriptionsAsync(cancellationToken);
            var now = time.GetUtcNow();
            var deliveries = new List<WebhookDelivery>();
            foreach (var subscription in subscriptions.Where(s => Wants(s, room)))
            {
                var payload = JsonSerializer.Serialize(
                    new RoomChangedPayload(WebhookEvents.RoomChanged, now, new RoomChangedData(room.Name, change, deleted ? null : room, userId)), ChatJson.Options);
                deliveries.Add(new WebhookDelivery("msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), subscription.Id,
                    WebhookEvents.RoomChanged, payload, now, WebhookDeliveryStatus.Pending, 0, now));
            }

            await store.EnqueueAsync(deliveries, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, room.Name, change);
        }
    }

    private static bool Wants(WebhookSubscription subscription, Room room) =>
        subscription.Wants(room.Name, WebhookEvents.RoomChanged) && (!room.IsMembersOnly || subscription.Rooms.Contains(room.Name));

    [LoggerMessage(EventId = 1060, Level = LogLevel.Warning, Message = "Room {Room} changed ({Change}) but its room.changed deliveries could not be recorded")]
    private static partial void LogFailed(ILogger logger, Exception exception, string room, string change);
}
