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

    private Task SendAsync(ChatUser user, string subject, string text, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(email.Value.From));
        message.To.Add(new MailboxAddress(user.DisplayName, user.Email ?? throw new InvalidOperationException("The account has no email address.")));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return sender.SendAsync(message, cancellationToken);
    }
}
