using MimeKit;

namespace Chatroom.Accounts.Email;

/// <summary>Delivers an account email (confirmation, password reset, notices).</summary>
public interface IAccountEmailSender
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
