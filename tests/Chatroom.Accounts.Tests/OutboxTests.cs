using MimeKit;

namespace Chatroom.Accounts.Tests;

/// <summary>The quick start has no mail server: account emails land in outbox/ of the data folder, and the link in them works.</summary>
public sealed class OutboxTests
{
    [Fact]
    public async Task WithoutSmtp_TheConfirmationEmailIsWrittenToTheOutbox_AndItsLinkConfirms()
    {
        await using var host = await AccountsHost.StartAsync(null, new Dictionary<string, string?> { ["Chatroom:Email:Smtp:Host"] = "" });
        var account = TestAccount.New();
        await account.RegisterAsync(host);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(host.DataDirectory, "outbox"), "*.eml"));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal(account.Email, message.To.Mailboxes.Single().Address);
        var link = new Uri(message.TextBody!.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http", StringComparison.Ordinal)));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        Assert.Equal("/account/confirm-email", link.AbsolutePath);

        using (var confirm = await host.PostAsync("/api/auth/confirm-email", new { userId = query["userId"], token = query["token"] }))
        {
            Assert.Equal(204, (int)confirm.StatusCode);
        }

        await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
        Assert.Empty(host.Smtp.To(account.Email));
    }
}
