namespace Chatroom.Accounts.Tests;

/// <summary>Sign-up floods from one address and guessing at one account from anywhere are cut off with <c>rate_limited</c>.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task SignUpFloodFromOneAddress_IsRefused()
    {
        await using var host = await AccountsHost.StartAsync(null, new Dictionary<string, string?> { ["Chatroom:Accounts:SignUpsPerAddressPerHour"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            await TestAccount.New().RegisterAsync(host);
        }

        var refused = await host.RefusalAsync(HttpMethod.Post, "/api/auth/register", TestAccount.New().Registration);
        Assert.Equal((429, "rate_limited"), refused);
    }

    [Fact]
    public async Task GuessingAtOneAccount_IsLimitedPerAccount_WhetherOrNotItExists()
    {
        await using var host = await AccountsHost.StartAsync(null, new Dictionary<string, string?> { ["Chatroom:Accounts:SignInsPerAccountPerMinute"] = "3" });
        foreach (var name in new[] { "nobody_here", TestAccount.New().UserName })
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal((401, "invalid_credentials"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = name, password = "guess " + i }));
            }

            Assert.Equal((429, "rate_limited"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = name, password = "one more guess" }));
        }

        // Another name from the same address is not affected.
        Assert.Equal((401, "invalid_credentials"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = "someone_else", password = "guess" }));
    }
}
