using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Microsoft.Extensions.Options;

namespace Chatroom.Core.Rooms;

/// <summary>
/// Creating a room, with the limits every caller shares: the REST route and the agents' <c>create_room</c> tool both come
/// here, so a room an agent makes obeys the same name, topic and <see cref="ChatOptions.MaxRooms"/> rules as one a person
/// makes. Refusals are <see cref="ChatException"/>s; each transport words them its own way.
/// </summary>
public sealed class RoomService(IRoomStore rooms, IOptions<ChatOptions> options, TimeProvider time)
{
    private readonly ChatOptions _options = options.Value;

    /// <summary>
    /// The topic as stored: trimmed, null when blank. Refuses one longer than <see cref="ChatOptions.MaxTopicLength"/>
    /// characters (Unicode scalar values, so an emoji counts once) or with a control character (a line break included).
    /// </summary>
    public string? ValidateTopic(string? topic)
    {
        if (string.IsNullOrWhiteSpace(topic))
        {
            return null;
        }

        var trimmed = topic.Trim();
        if (ChatService.CountCharacters(trimmed) > _options.MaxTopicLength || trimmed.Any(char.IsControl))
        {
            throw new ChatException(ErrorCodes.InvalidTopic, $"topics are at most {_options.MaxTopicLength} characters on one line");
        }

        return trimmed;
    }

    /// <summary>
    /// Creates the room, or refuses with <c>invalid_room_name</c>, <c>invalid_topic</c>, <c>invalid_visibility</c>,
    /// <c>too_many_rooms</c> or <c>room_exists</c>. A private room's creator is its owner and first member; direct rooms
    /// are made by opening a conversation, never here.
    /// </summary>
    public async Task<Room> CreateAsync(string? name, string? topic, string createdBy, CancellationToken cancellationToken, string? visibility = null)
    {
        RoomNames.Validate(name);
        if (name!.StartsWith(Contacts.ConversationService.DirectPrefix, StringComparison.Ordinal))
        {
            throw new ChatException(ErrorCodes.InvalidRoomName, $"names starting with '{Contacts.ConversationService.DirectPrefix}' are kept for direct conversations");
        }

        var kind = visibility ?? RoomVisibility.Public;
        if (kind is not (RoomVisibility.Public or RoomVisibility.Private))
        {
            throw new ChatException(ErrorCodes.InvalidVisibility, "visibility is public or private");
        }

        var stored = ValidateTopic(topic);

        // Counted before the insert, so concurrent creations near the cap may overshoot it by a few; the cap is a
        // guard against unbounded growth, not an exact quota.
        if ((await rooms.ListAsync(cancellationToken)).Count >= _options.MaxRooms)
        {
            throw new ChatException(ErrorCodes.TooManyRooms, $"this deployment holds at most {_options.MaxRooms} rooms");
        }

        var room = new Room(name, stored, createdBy, time.GetUtcNow(), Visibility: kind);
        if (!await rooms.TryCreateAsync(room, cancellationToken))
        {
            throw new ChatException(ErrorCodes.RoomExists, $"there is already a room '{room.Name}'");
        }

        if (room.IsMembersOnly)
        {
            await rooms.SetMemberAsync(room.Name, new RoomMember(createdBy, MemberRoles.Owner, room.CreatedAt), cancellationToken);
        }

        return room;
    }
}
