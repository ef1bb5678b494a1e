using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>
/// An account's live sockets on both socket-server processes close when it signs out everywhere or is banned (a bus
/// event over Redis), and its old token cannot open a new one, though the socket servers have no accounts store.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeAccountTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public Task SignOutEverywhere_ThenABan_CloseTheAccountsSocketsOnBothNodes() => cluster.RunAsync(output, async () =>
    {
        var api = cluster.ApiClient;
        var name = "multi_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        const string password = "correct horse battery";
        using (var registered = await api.SendAsync(HttpMethod.Post, "/api/auth/register", null,
            new { userName = name, email = $"{name}@example.com", password, dateOfBirth = "1990-04-01" }))
        {
            Assert.Equal(202, (int)registered.StatusCode);
        }

        var (userId, token) = await SignInAsync(name, password);
        var onA = await cluster.ConnectAsync(cluster.SocketA, token);
        var onB = await cluster.ConnectAsync(cluster.SocketB, token);
        await using var bystander = await cluster.ConnectAsync(cluster.SocketA, await api.GuestTokenAsync("bystander"));
        try
        {
            using (var signedOut = await api.SendAsync(HttpMethod.Post, "/api/auth/logout", token, new { everywhere = true }))
            {
                Assert.Equal(204, (int)signedOut.StatusCode);
            }

            Assert.StartsWith("signed_out:", await onA.Closed.WaitAsync(CloseTimeout));
            Assert.StartsWith("signed_out:", await onB.Closed.WaitAsync(CloseTimeout));
        }
        finally
        {
            await onA.DisposeAsync();
            await onB.DisposeAsync();
        }

        // The socket servers cannot ask the accounts store, yet the signed-out token (still unexpired) opens nothing.
        Assert.Contains("signed_out:", await RefusedAsync(cluster.SocketB, token));

        // Everyone else stays connected.
        await bystander.InvokeAsync("JoinRoom", "lobby", null);

        var (_, again) = await SignInAsync(name, password);
        var adminToken = await api.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        onA = await cluster.ConnectAsync(cluster.SocketA, again);
        onB = await cluster.ConnectAsync(cluster.SocketB, again);
        try
        {
            using (var banned = await api.SendAsync(HttpMethod.Post, $"/api/admin/users/{userId}/ban", adminToken, new { reason = "spam" }))
            {
                Assert.Equal(200, (int)banned.StatusCode);
            }

            Assert.StartsWith("account_banned:", await onA.Closed.WaitAsync(CloseTimeout));
            Assert.StartsWith("account_banned:", await onB.Closed.WaitAsync(CloseTimeout));
        }
        finally
        {
            await onA.DisposeAsync();
            await onB.DisposeAsync();
        }

        Assert.Contains("account_banned:", await RefusedAsync(cluster.SocketA, again));
        using var refused = await api.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { login = name, password });
        Assert.Equal((403, "account_banned"), await ChatApiClient.ProblemAsync(refused));
    });

    private async Task<(string UserId, string Token)> SignInAsync(string name, string password)
    {
        using var response = await cluster.ApiClient.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { login = name, password });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
        return (body["user"]!["id"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    /// <summary>Connects with a revoked token: the handshake may complete, but the server closes at once; the close reason (<c>… code: sentence</c>).</summary>
    private async Task<string?> RefusedAsync(Testing.Hosting.ChildProcess node, string token)
    {
        HubClient client;
        try
        {
            client = await cluster.ConnectAsync(node, token);
        }
        catch (Exception e) when (e is HubHandshakeException or Microsoft.AspNetCore.SignalR.HubException)
        {
            return e.Message;
        }

        await using (client)
        {
            return await client.Closed.WaitAsync(CloseTimeout);
        }
    }
}
