using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Chatroom.Accounts.Email;

/// <summary>Sends through the configured SMTP server (MailKit), one connection per message: account mail is rare.</summary>
internal sealed partial class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger) : IAccountEmailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        LogSent(logger, message.Subject ?? string.Empty, smtp.Host!);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Account email '{Subject}' sent through {SmtpHost}")]
    private static partial void LogSent(ILogger logger, string subject, string smtpHost);
}
