using Chatroom.Core.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Staff;

/// <summary>
/// Which role a token of an account carries. Staff roles (moderator, admin) need a second factor when
/// <c>Chatroom:Auth:StaffRequireTwoFactor</c> says so (unset: everywhere but Development); without one the account signs
/// in as a plain user, which is enough to enrol one, and gets its staff role at its next sign-in with the second factor.
/// </summary>
public sealed class StaffRules(IOptions<AuthOptions> auth, IHostEnvironment environment)
{
    public bool RequireTwoFactor => auth.Value.StaffRequireTwoFactor ?? !environment.IsDevelopment();

    public static bool IsStaff(string role) => role is ChatRoles.Admin or ChatRoles.Moderator;

    /// <summary>The highest role the account holds, and whether it lacks the second factor that role needs.</summary>
    public async Task<(string Role, bool MissingSecondFactor)> RoleAsync(UserManager<ChatUser> users, ChatUser user)
    {
        var role = await AccountRules.TopRoleAsync(users, user);
        var missing = IsStaff(role) && RequireTwoFactor && !await users.GetTwoFactorEnabledAsync(user);
        return (role, missing);
    }

    /// <summary>The role a new token carries: the highest, or <c>user</c> for staff without a required second factor.</summary>
    /// <param name="sessionSecondFactor">The session began with two factors in one step (a passkey), whatever the account has enrolled.</param>
    public async Task<string> TokenRoleAsync(UserManager<ChatUser> users, ChatUser user, bool sessionSecondFactor = false)
    {
        var (role, missing) = await RoleAsync(users, user);
        return missing && !sessionSecondFactor ? ChatRoles.User : role;
    }
}
