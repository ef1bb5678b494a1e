using Chatroom.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Chatroom.Api.Conversations;

/// <summary>
/// Display names for user ids the chat backend keeps without names (members of a private room, blocked people), read
/// from the accounts database so the web app can show people, not ids. An id without an account reads as null.
/// </summary>
public static class PeopleNames
{
    public static async Task<IReadOnlyDictionary<string, string?>> OfAsync(UserManager<ChatUser> users, IEnumerable<string> ids)
    {
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!names.ContainsKey(id))
            {
                names[id] = (await users.FindByIdAsync(id))?.DisplayName;
            }
        }

        return names;
    }
}
