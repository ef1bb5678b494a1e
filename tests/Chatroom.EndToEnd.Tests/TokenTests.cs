using System.Security.Cryptography;
using Chatroom.Core.Auth;
using Chatroom.Testing.Auth;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// The API issues standard JWTs that the hub and REST accept; expired, forged, wrong-audience and unsigned tokens are
/// refused on both, and the refused caller gets nothing.
/// </summary>
public sealed class TokenTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["Chatroom:Auth:SigningKey"] = Convert.ToBase64String(_key) });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task SignInReturnsAnHs256JwtThatRestAndTheHubAccept()
    {
        var token = await _host.Api.GuestTokenAsync("jwt-guest");
        var jwt = new JsonWebToken(token);
        Assert.Equal(("HS256", ChatTokens.Issuer, "jwt-guest", ChatRoles.Guest), (jwt.Alg, jwt.Issuer, jwt.GetClaim("name").Value, jwt.GetClaim("role").Value));
        Assert.InRange(jwt.ValidTo, DateTime.UtcNow.AddDays(6), DateTime.UtcNow.AddDays(8));

        using var rooms = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", token);
        Assert.True(rooms.IsSuccessStatusCode, $"GET /api/rooms: {(int)rooms.StatusCode}");
        await using var client = await _host.Api.ConnectWithTokenAsync(token);
        await client.InvokeAsync("JoinRoom", "lobby", null);
    }

    [Fact]
    public async Task ATokenMadeWithTheSharedKeyIsAcceptedLikeTheApis()
    {
        using var stats = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/stats", TestTokens.Create(_key, role: ChatRoles.Admin));
        Assert.True(stats.IsSuccessStatusCode, $"GET /api/admin/stats: {(int)stats.StatusCode}");
    }

    public static TheoryData<string> BadTokens => new() { "expired", "forged signature", "tampered payload", "wrong audience", "alg none" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task RestRefusesBadTokens(string kind)
    {
        using var rooms = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", await BadAsync(kind));
        Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(rooms));
        using var stats = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/stats", await BadAsync(kind));
        Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(stats));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task TheHubRefusesBadTokens(string kind)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () => await _host.Api.ConnectWithTokenAsync(await BadAsync(kind)));
        Assert.Contains("401", refused.Message);
    }

    private async Task<string> BadAsync(string kind) => kind switch
    {
        "expired" => TestTokens.Create(_key, role: ChatRoles.Admin, expires: DateTimeOffset.UtcNow.AddMinutes(-5)),
        "forged signature" => TestTokens.Create(RandomNumberGenerator.GetBytes(32), role: ChatRoles.Admin),
        "tampered payload" => TestTokens.Tampered(await _host.Api.GuestTokenAsync("tamperer")),
        "wrong audience" => TestTokens.Create(_key, role: ChatRoles.Admin, audience: "another-service"),
        "alg none" => TestTokens.Unsigned(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
