using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Chatroom.Core.Moderation;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// Accounts in the chat itself, on the standalone host (the in-process bus): <c>Chatroom:Auth:Guests</c>, room bans
/// bound to the account across sessions, and an account's open socket closed when it is banned or signs out everywhere.
/// </summary>
public sealed class AccountChatTests
{
    private const string Password = "correct horse battery";

    private static readonly Dictionary<string, string?> NoEmailConfirmation = new() { ["Chatroom:Accounts:RequireConfirmedEmail"] = "false" };

    [Fact]
    public async Task ReadOnlyGuests_JoinAndRead_ButCannotSend_WhileAccountsCan()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>(NoEmailConfirmation)
        {
            ["Chatroom:Auth:Guests"] = "read-only",
        });
        var (_, accountToken) = await RegisterAndSignInAsync(host.Api, NewName("writer"));
        await using var writer = await host.Api.ConnectWithTokenAsync(accountToken);
        await using var guest = await host.Api.ConnectWithTokenAsync(await host.Api.GuestTokenAsync("reader"));
        await guest.InvokeAsync("JoinRoom", "lobby", null);
        await writer.InvokeAsync("JoinRoom", "lobby", null);

        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => guest.InvokeAsync("SendMessage", "lobby", "hello?", null));
        Assert.Equal("guests_read_only", refused.Code);
        var typing = await Assert.ThrowsAsync<HubInvocationException>(() => guest.InvokeAsync("Typing", "lobby"));
        Assert.Equal("guests_read_only", typing.Code);

        var sent = await writer.InvokeAsync("SendMessage", "lobby", "from an account", null);
        await guest.WaitForEventAsync("message", e => e.GetProperty("id").GetInt64() == sent.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task AMinorWaitingForAGuardian_JoinsAndReads_ButTheHubRefusesSendingAndTyping()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, NoEmailConfirmation);
        var born = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-12).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (_, minorToken) = await host.Api.RegisterAccountAsync(NewName("kid"), Password, born);
        var (_, writerToken) = await RegisterAndSignInAsync(host.Api, NewName("writer"));
        await using var minor = await host.Api.ConnectWithTokenAsync(minorToken);
        await using var writer = await host.Api.ConnectWithTokenAsync(writerToken);
        await minor.InvokeAsync("JoinRoom", "lobby", null);
        await writer.InvokeAsync("JoinRoom", "lobby", null);

        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => minor.InvokeAsync("SendMessage", "lobby", "hi!", null));
        Assert.Equal("guardian_consent_required", refused.Code);
        var typing = await Assert.ThrowsAsync<HubInvocationException>(() => minor.InvokeAsync("Typing", "lobby"));
        Assert.Equal("guardian_consent_required", typing.Code);

        var sent = await writer.InvokeAsync("SendMessage", "lobby", "welcome", null);
        await minor.WaitForEventAsync("message", e => e.GetProperty("id").GetInt64() == sent.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task WithGuestsOff_GuestSignInIsRefused_AndAnOldGuestTokenCannotConnect()
    {
        using var data = new TempDirectory();
        string oldGuest;
        await using (var open = await StandaloneHost.StartAsync(data.Path))
        {
            oldGuest = await open.Api.GuestTokenAsync("early-guest");
        }

        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?> { ["Chatroom:Auth:Guests"] = "off" });
        using var response = await host.Api.Http.PostAsJsonAsync("/api/auth/guest", new { name = "late-guest" });
        Assert.Equal((403, "guests_disabled"), await ChatApiClient.ProblemAsync(response));
        Assert.Contains("guests_disabled", await ClosedAtOnceAsync(host, oldGuest));
    }

    [Fact]
    public async Task AnUnknownGuestsSettingStopsStartUp()
    {
        using var data = new TempDirectory();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Auth:Guests"] = "sometimes",
        }));
        Assert.Contains("Chatroom:Auth:Guests", failure.Message);
    }

    [Fact]
    public async Task ARoomBan_BindsToTheAccount_AcrossANewSessionWithANewToken()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, NoEmailConfirmation);
        var name = NewName("roomban");
        var (userId, firstToken) = await RegisterAndSignInAsync(host.Api, name);
        await using (var first = await host.Api.ConnectWithTokenAsync(firstToken))
        {
            await first.InvokeAsync("JoinRoom", "lobby", null);
        }

        // The ban a moderator's verdict places, on the id the account's tokens carry.
        await host.Services.GetRequiredService<ModerationActions>().BanAsync("lobby", userId, name, null, "admin", "test ban", null, CancellationToken.None);

        // Signed out, signed in again: a new session and a new token, the same person, still banned.
        using (var signedOut = await host.Api.SendAsync(HttpMethod.Post, "/api/auth/logout", firstToken, new { everywhere = true }))
        {
            Assert.Equal(204, (int)signedOut.StatusCode);
        }

        var (sameUser, secondToken) = await SignInAsync(host.Api, name);
        Assert.Equal(userId, sameUser);
        Assert.NotEqual(firstToken, secondToken);
        await using var second = await host.Api.ConnectWithTokenAsync(secondToken);
        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => second.InvokeAsync("JoinRoom", "lobby", null));
        Assert.Equal("banned", refused.Code);
    }

    [Fact]
    public async Task ABanOrSignOutEverywhere_ClosesTheAccountsOpenSocket_WithTheReason()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, NoEmailConfirmation);
        var name = NewName("closed");
        var (userId, token) = await RegisterAndSignInAsync(host.Api, name);
        await using (var open = await host.Api.ConnectWithTokenAsync(token))
        {
            using (var signedOut = await host.Api.SendAsync(HttpMethod.Post, "/api/auth/logout", token, new { everywhere = true }))
            {
                Assert.Equal(204, (int)signedOut.StatusCode);
            }

            Assert.StartsWith("signed_out:", await open.Closed.WaitAsync(TimeSpan.FromSeconds(15)));
        }

        var (_, again) = await SignInAsync(host.Api, name);
        var admin = await host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await using var reopened = await host.Api.ConnectWithTokenAsync(again);
        using (var banned = await host.Api.SendAsync(HttpMethod.Post, $"/api/admin/users/{userId}/ban", admin,
            new { until = DateTimeOffset.UtcNow.AddDays(1), reason = "test" }))
        {
            Assert.Equal(200, (int)banned.StatusCode);
        }

        var reason = await reopened.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.StartsWith("account_banned: this account is banned until ", reason);
    }

    private static string NewName(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";

    private static Task<(string UserId, string Token)> RegisterAndSignInAsync(ChatApiClient api, string name) =>
        api.RegisterAccountAsync(name, Password);

    private static async Task<(string UserId, string Token)> SignInAsync(ChatApiClient api, string name)
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { login = name, password = Password });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
        return (body["user"]!["id"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    /// <summary>Connects with a token the hub refuses once connected: the close reason (<c>… code: sentence</c>).</summary>
    private static async Task<string?> ClosedAtOnceAsync(StandaloneHost host, string token)
    {
        HubClient client;
        try
        {
            client = await host.Api.ConnectWithTokenAsync(token);
        }
        catch (Exception e) when (e is HubHandshakeException or Microsoft.AspNetCore.SignalR.HubException)
        {
            return e.Message;
        }

        await using (client)
        {
            return await client.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        }
    }
}
