namespace Chatroom.Core.Contacts;

/// <summary>Where a person stands with a guardian's consent; <see cref="None"/> for anyone who needs none.</summary>
public static class GuardianStates
{
    public const string None = "none";
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Declined = "declined";
    public const string Revoked = "revoked";

    public static bool IsKnown(string? value) => value is None or Pending or Approved or Declined or Revoked;
}
