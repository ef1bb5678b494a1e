using System.Globalization;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Chatroom.Accounts.Email;

/// <summary>
/// With no SMTP server configured (the quick start), each message becomes an <c>.eml</c> file in <c>outbox/</c> of the
/// data folder and the log says where, so confirming an address works with nothing else installed.
/// </summary>
internal sealed partial class OutboxEmailSender(string directory, TimeProvider time, ILogger<OutboxEmailSender> logger) : IAccountEmailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = time.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8] + ".eml";
        var path = Path.Combine(directory, name);
        await message.WriteToAsync(path, cancellationToken);
        LogWritten(logger, message.Subject ?? string.Empty, path);
    }

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information,
        Message = "No SMTP server is configured (Chatroom:Email:Smtp:Host): account email '{Subject}' was written to {Path}")]
    private static partial void LogWritten(ILogger logger, string subject, string path);
}
