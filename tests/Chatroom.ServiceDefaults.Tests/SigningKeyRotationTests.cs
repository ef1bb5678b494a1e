using System.Net;
using System.Security.Cryptography;
using Chatroom.Core.Auth;
using Chatroom.Testing.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.ServiceDefaults.Tests;

/// <summary>
/// Rotating the signing key with an overlap (<c>Chatroom:Auth:PreviousSigningKeys</c>): tokens the old key signed keep
/// working until they expire, new tokens carry the new key, and a key that was never configured is still refused.
/// </summary>
public sealed class SigningKeyRotationTests : IAsyncLifetime
{
    private readonly byte[] _previousKey = RandomNumberGenerator.GetBytes(32);
    private ServiceDefaultsHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
    {
        ["Chatroom:Auth:PreviousSigningKeys:0"] = Convert.ToBase64String(_previousKey),
        // An optional Secret key left empty is no key, not a configuration error.
        ["Chatroom:Auth:PreviousSigningKeys:1"] = "",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ATokenSignedWithThePreviousKeyIsStillAccepted()
    {
        using var response = await _host.GetAsync("/api/me", TestTokens.Create(_previousKey, name: "signed-before-rotation"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("signed-before-rotation", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ThePreviousKeyWorksOnHubsToo()
    {
        var token = Uri.EscapeDataString(TestTokens.Create(_previousKey, name: "hub"));
        using var response = await _host.GetAsync("/hubs/probe?access_token=" + token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NewTokensAreSignedWithTheCurrentKeyOnly()
    {
        var token = _host.Services.GetRequiredService<ChatTokens>().Issue(new ChatIdentity("u_1", "ana", ChatRoles.Guest, DateTimeOffset.UtcNow.AddHours(1)));
        using var current = await _host.GetAsync("/api/me", token);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);

        // A service that has dropped the previous key (the overlap is over) still accepts what the API issues now.
        await using var afterOverlap = await ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Chatroom:Auth:SigningKey"] = Convert.ToBase64String(_host.Key),
        });
        using var later = await afterOverlap.GetAsync("/api/me", token);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        using var old = await afterOverlap.GetAsync("/api/me", TestTokens.Create(_previousKey));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task AKeyThatWasNeverConfiguredIsRefused()
    {
        using var response = await _host.GetAsync("/api/me", TestTokens.Create(RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AShortPreviousKeyStopsStartUp()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Chatroom:Auth:PreviousSigningKeys:0"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)),
        }));
        Assert.Contains("Chatroom:Auth:PreviousSigningKeys", failure.Message);
    }
}
