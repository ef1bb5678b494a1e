using Chatroom.Core.Errors;

namespace Chatroom.Core.Rooms;

/// <summary>Room names: lower-case ASCII letters, digits and '-', 1–64 characters.</summary>
public static class RoomNames
{
    public const int MaxLength = 64;
    public const string Lobby = "lobby";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    public static string Validate(string? name) => IsValid(name)
        ? name!
        : throw new ChatException(ErrorCodes.InvalidRoomName,
            "room names are 1-64 characters of lower-case letters, digits and '-'");
}
