namespace Chatroom.Core.Contacts;

/// <summary>Who may start a private conversation with a person (a guardian sets it for a minor).</summary>
public static class DirectMessagePolicies
{
    public const string Everyone = "everyone";

    /// <summary>Only people whose conversation request the person accepted before.</summary>
    public const string Contacts = "contacts";

    public const string Off = "off";

    public static bool IsKnown(string? value) => value is Everyone or Contacts or Off;
}
