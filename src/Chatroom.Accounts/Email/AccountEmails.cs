using Microsoft.Extensions.Options;
using MimeKit;

namespace Chatroom.Accounts.Email;

/// <summary>The account emails: what they say and where their links point.</summary>
public sealed class AccountEmails(IAccountEmailSender sender, IOptions<EmailOptions> email)
{
    public Task SendConfirmationAsync(ChatUser user, string link, CancellationToken cancellationToken) =>
        SendAsync(user, "Confirm your Chatroom account",
            $"Hello {user.DisplayName},\n\nconfirm the address of your Chatroom account '{user.UserName}' by opening this link:\n\n{link}\n\n" +
            "If you did not sign up, ignore this message.\n", cancellationToken);

    public Task SendAlreadyRegisteredAsync(ChatUser user, CancellationToken cancellationToken) =>
        SendAsync(user, "Someone tried to sign up with your address",
            $"Hello {user.DisplayName},\n\nsomeone tried to create a Chatroom account with this address, which already belongs to " +
            $"the account '{user.UserName}'. If it was you, sign in or reset your password instead.\n", cancellationToken);

    public Task SendPasswordResetAsync(ChatUser user, string link, CancellationToken cancellationToken) =>
        SendAsync(user, "Reset your Chatroom password",
            $"Hello {user.DisplayName},\n\nset a new password for '{user.UserName}' by opening this link:\n\n{link}\n\n" +
            "If you did not ask for this, ignore this message; your password stays as it is.\n", cancellationToken);

    /// <summary>To the address a minor named: who asks, what approving means, and the single-use link.</summary>
    public Task SendGuardianConsentAsync(string guardianEmail, ChatUser minor, string link, DateTimeOffset expires, CancellationToken cancellationToken) =>
        SendAsync(string.Empty, guardianEmail, $"{minor.DisplayName} asks for your consent to use Chatroom",
            $"Hello,\n\n{minor.DisplayName} (account '{minor.UserName}', {minor.Email}) signed up for Chatroom and named you as their " +
            "parent or guardian. Because of their age they can only read until a guardian approves.\n\n" +
            $"Open this link to see what the account will be allowed and to approve or decline:\n\n{link}\n\n" +
            "You will sign in or sign up as an adult with two-step sign-in (an authenticator app) switched on. " +
            $"The link works once, until {expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC.\n\n" +
            "If you do not know this person, ignore this message.\n", cancellationToken);

    private Task SendAsync(ChatUser user, string subject, string text, CancellationToken cancellationToken) =>
        SendAsync(user.DisplayName, user.Email ?? throw new InvalidOperationException("The account has no email address."), subject, text, cancellationToken);

    private Task SendAsync(string name, string address, string subject, string text, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(email.Value.From));
        message.To.Add(new MailboxAddress(name, address));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return sender.SendAsync(message, cancellationToken);
    }
}
