namespace Chatroom.Core.Errors;

/// <summary>Stable error codes shared by hub refusals (<c>code: sentence</c>) and problem+json <c>code</c>.</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string EmptyText = "empty_text";
    public const string TextTooLong = "text_too_long";
    public const string InvalidRoomName = "invalid_room_name";
    public const string InvalidTopic = "invalid_topic";
    public const string UnknownRoom = "unknown_room";
    public const string RoomExists = "room_exists";
    public const string NotMember = "not_member";
    public const string InvalidName = "invalid_name";
    public const string InvalidClientMessageId = "invalid_client_message_id";
    public const string InvalidCursor = "invalid_cursor";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string InvalidPassword = "invalid_password";
    public const string AdminDisabled = "admin_disabled";
    public const string RateLimited = "rate_limited";
    public const string TooManyRooms = "too_many_rooms";
    public const string Muted = "muted";
    public const string Banned = "banned";
    public const string SlowMode = "slow_mode";
    public const string RoomLocked = "room_locked";
    public const string PayloadTooLarge = "payload_too_large";
    public const string BackendUnavailable = "backend_unavailable";

    /// <summary>The embedded data folder's disk is full (SQLITE_FULL): nothing was stored; sends work again once space returns.</summary>
    public const string StorageFull = "storage_full";
    public const string NotFound = "not_found";
    public const string InvalidAgent = "invalid_agent";
    public const string AgentExists = "agent_exists";

    /// <summary>A hub frame that is not valid SignalR JSON (malformed, invalid UTF-8, nested too deep); the connection is closed.</summary>
    public const string InvalidFrame = "invalid_frame";

    /// <summary>Too many open hub connections from one client address.</summary>
    public const string TooManyConnections = "too_many_connections";
}
