using MimeKit;

namespace Chatroom.Browser.Tests;

/// <summary>The emails the quick start writes to its data folder's outbox (no SMTP server configured).</summary>
public static class Outbox
{
    /// <summary>The link to <paramref name="path"/> in the newest email to <paramref name="to"/>, waiting for it to be written.</summary>
    public static async Task<Uri> LinkAsync(string dataDirectory, string to, string path)
    {
        var outbox = Path.Combine(dataDirectory, "outbox");
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            if (Directory.Exists(outbox))
            {
                foreach (var file in Directory.GetFiles(outbox, "*.eml").OrderDescending())
                {
                    var message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address == to)
                        && message.TextBody?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("http", StringComparison.Ordinal)) is { } line
                        && new Uri(line) is { } link && link.AbsolutePath == path)
                    {
                        return link;
                    }
                }
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"no email to {to} with a {path} link in {outbox}");
            await Task.Delay(200);
        }
    }
}
