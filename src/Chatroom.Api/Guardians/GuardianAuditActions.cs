namespace Chatroom.Api.Guardians;

/// <summary>The audit log's names for guardian actions (each with the minor as its target).</summary>
public static class GuardianAuditActions
{
    public const string Request = "guardian_request";
    public const string Approve = "guardian_approve";
    public const string Decline = "guardian_decline";
    public const string Restrict = "guardian_restrict";
    public const string Revoke = "guardian_revoke";

    /// <summary>An admin corrected an account's date of birth (the person cannot while a minor).</summary>
    public const string SetBirthDate = "set_birth_date";
}
