using Chatroom.Core.Errors;

namespace Chatroom.Core.Contacts;

/// <summary>User ids as clients pass them (to open a conversation, invite, block): 1–128 printable ASCII characters.</summary>
public static class UserIds
{
    public const int MaxLength = 128;

    public static string Validate(string? userId) =>
        !string.IsNullOrEmpty(userId) && userId.Length <= MaxLength && userId.All(c => c is > ' ' and <= '~')
            ? userId
            : throw new ChatException(ErrorCodes.InvalidUserId, $"user ids are 1-{MaxLength} printable ASCII characters");
}
