namespace Chatroom.Core.Contacts;

/// <summary>
/// What the chat services (the hub, the analysis service) need to know about a registered person, projected from the
/// accounts database, which only the API reads. A person without a profile (a guest, an account from before dates of
/// birth were asked) is treated as an adult without restrictions.
/// </summary>
public sealed record ParticipantProfile(
    string UserId,
    DateOnly? BirthDate,
    string GuardianState,
    string? GuardianUserId,
    string DirectMessages,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Age of majority for the safety rules (the consent age for accounts is a separate setting).</summary>
    public const int AdultAge = 18;

    /// <summary>Full years on <paramref name="today"/>; null when the date of birth is unknown.</summary>
    public int? AgeOn(DateOnly today)
    {
        if (BirthDate is not { } born)
        {
            return null;
        }

        var age = today.Year - born.Year;
        return today < born.AddYears(age) ? age - 1 : age;
    }

    public bool IsMinorOn(DateOnly today) => AgeOn(today) < AdultAge;
}
