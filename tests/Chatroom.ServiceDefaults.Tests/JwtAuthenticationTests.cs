using System.Net;
using System.Security.Cryptography;
using Chatroom.Core.Auth;
using Chatroom.Testing.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.ServiceDefaults.Tests;

/// <summary>JwtBearer as every service configures it: the API's HS256 tokens pass; anything else is a 401 problem.</summary>
public sealed class JwtAuthenticationTests : IAsyncLifetime
{
    private ServiceDefaultsHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceDefaultsHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ATokenTheApiIssuedIsAccepted()
    {
        var token = _host.Services.GetRequiredService<ChatTokens>().Issue(new ChatIdentity("u_1", "ana", ChatRoles.Guest, DateTimeOffset.UtcNow.AddHours(1)));
        using var response = await _host.GetAsync("/api/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ana", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AGuestIsForbiddenOnAdminEndpoints()
    {
        using var response = await _host.GetAsync("/api/admin", TestTokens.Create(_host.Key, role: ChatRoles.Guest));
        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        using var admin = await _host.GetAsync("/api/admin", TestTokens.Create(_host.Key, role: ChatRoles.Admin));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    public static TheoryData<string> BadTokens => new()
    {
        "expired", "forged signature", "tampered payload", "wrong audience", "wrong issuer", "alg none", "garbage", "old v1 format",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task BadTokensAreRefusedWithAProblem(string kind)
    {
        using var response = await _host.GetAsync("/api/me", Bad(kind));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task BadQueryTokensAreRefusedOnHubs(string kind)
    {
        using var response = await _host.GetAsync("/hubs/probe?access_token=" + Uri.EscapeDataString(Bad(kind)));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task AMissingTokenIsAChallengeWithoutAnError()
    {
        using var response = await _host.GetAsync("/api/me");
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task TheQueryTokenIsAcceptedOnHubsOnly()
    {
        var token = Uri.EscapeDataString(TestTokens.Create(_host.Key, name: "query"));
        using var hub = await _host.GetAsync("/hubs/probe?access_token=" + token);
        Assert.Equal(HttpStatusCode.OK, hub.StatusCode);
        Assert.Equal("query", await hub.Content.ReadAsStringAsync());
        using var rest = await _host.GetAsync("/api/me?access_token=" + token);
        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
    }

    [Fact]
    public async Task AnAuthorityWithoutAnAudienceStopsStartUp()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Chatroom:Auth:Authority"] = "https://login.example.com/realms/chat",
        }));
        Assert.Contains("Chatroom:Auth:Audience", failure.Message);
    }

    private string Bad(string kind) => kind switch
    {
        "expired" => TestTokens.Create(_host.Key, expires: DateTimeOffset.UtcNow.AddMinutes(-5)),
        "forged signature" => TestTokens.Create(RandomNumberGenerator.GetBytes(32)),
        "tampered payload" => TestTokens.Tampered(TestTokens.Create(_host.Key, role: ChatRoles.Guest)),
        "wrong audience" => TestTokens.Create(_host.Key, audience: "another-service"),
        "wrong issuer" => TestTokens.Create(_host.Key, issuer: "someone-else"),
        "alg none" => TestTokens.Unsigned(),
        "garbage" => "not-a-token",
        "old v1 format" => "v1.e30.AAAA",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"code\":\"{code}\"", await response.Content.ReadAsStringAsync());
    }
}
