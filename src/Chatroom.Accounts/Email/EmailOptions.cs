namespace Chatroom.Accounts.Email;

/// <summary><c>Chatroom:Email</c>: SMTP when <see cref="SmtpOptions.Host"/> is set, else the outbox folder.</summary>
public sealed class EmailOptions
{
    public const string Section = "Chatroom:Email";

    public string From { get; set; } = "Chatroom <no-reply@chatroom.localhost>";

    public SmtpOptions Smtp { get; set; } = new();
}
