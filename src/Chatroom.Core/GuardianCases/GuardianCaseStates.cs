namespace Chatroom.Core.GuardianCases;

/// <summary>Where a guardian case stands: open until a moderator resolves it with one of the four actions.</summary>
public static class GuardianCaseStates
{
    public const string Open = "open";
    public const string Dismissed = "dismissed";
    public const string Restricted = "restricted";
    public const string Banned = "banned";
    public const string GuardianNotified = "guardian_notified";

    /// <summary>States that confirm the case was real: its evidence lines feed the exemplar index.</summary>
    public static bool IsConfirmed(string state) => state is Restricted or Banned or GuardianNotified;

    public static bool IsKnown(string? state) => state is Open or Dismissed or Restricted or Banned or GuardianNotified;
}
