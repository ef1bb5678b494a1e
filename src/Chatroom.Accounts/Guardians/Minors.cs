using Chatroom.Core.Contacts;
using Chatroom.Core.Errors;

namespace Chatroom.Accounts.Guardians;

/// <summary>Who is a minor, who needs a guardian, and which guardian states hold an account back from sending.</summary>
public static class Minors
{
    public const int AdultAge = ParticipantProfile.AdultAge;

    /// <summary>Whole years between <paramref name="born"/> and <paramref name="today"/>.</summary>
    public static int Age(DateOnly born, DateOnly today)
    {
        var age = today.Year - born.Year;
        return born.AddYears(age) > today ? age - 1 : age;
    }

    public static bool IsMinor(DateOnly born, DateOnly today) => Age(born, today) < AdultAge;

    /// <summary>Younger than <c>Chatroom:Safety:GuardianConsentAge</c>: the account waits for a guardian.</summary>
    public static bool NeedsConsent(DateOnly born, DateOnly today, GuardianOptions options) => Age(born, today) < options.GuardianConsentAge;

    /// <summary>
    /// The state a token's <c>grd</c> claim carries, or null when the account may send: a minor below the consent age
    /// whose guardian has not approved (pending, declined, revoked). Growing past the age releases the account by itself.
    /// </summary>
    public static string? HeldState(ChatUser user, DateOnly today, GuardianOptions options) =>
        user.GuardianState is GuardianStates.Pending or GuardianStates.Declined or GuardianStates.Revoked
        && NeedsConsent(user.DateOfBirth, today, options)
            ? user.GuardianState
            : null;

    /// <summary>The state a new account starts in, and who may send it a first private message.</summary>
    public static (string State, string DirectMessages) Initial(DateOnly born, DateOnly today, GuardianOptions options) =>
        (NeedsConsent(born, today, options) ? GuardianStates.Pending : GuardianStates.None,
            IsMinor(born, today) ? DirectMessagePolicies.Contacts : DirectMessagePolicies.Everyone);

    /// <summary>
    /// Refuses a person's own change of their date of birth when they are a minor, are (or were) under a guardian, or the
    /// change would make them a minor: growing up by editing a field must not skip the guardian. An admin corrects it.
    /// </summary>
    public static void EnsureMayChangeBirthDate(ChatUser user, DateOnly newDate, DateOnly today)
    {
        if (newDate != user.DateOfBirth && (IsMinor(user.DateOfBirth, today) || IsMinor(newDate, today) || user.GuardianState != GuardianStates.None))
        {
            throw new ChatException(ErrorCodes.BirthDateLocked, "the date of birth of a minor's account cannot be changed here; an admin can correct it");
        }
    }

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
