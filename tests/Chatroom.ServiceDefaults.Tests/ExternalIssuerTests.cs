using System.Net;
using Chatroom.Core.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.ServiceDefaults.Tests;

/// <summary>
/// With <c>Chatroom:Auth:Authority</c> and <c>Audience</c>, tokens of that OpenID Connect issuer are accepted (keys from
/// its discovery document) beside the API's own; another audience or an unpublished key is refused.
/// </summary>
public sealed class ExternalIssuerTests : IAsyncLifetime
{
    private const string Audience = "chat-api";
    private FakeOidcIssuer _issuer = null!;
    private ServiceDefaultsHost _host = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeOidcIssuer.StartAsync();
        _host = await ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Chatroom:Auth:Authority"] = _issuer.Authority,
            ["Chatroom:Auth:Audience"] = Audience,
            ["Chatroom:Auth:RequireHttpsMetadata"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task TheIssuersTokensAreAcceptedWithTheirUsernameAndRole()
    {
        using var me = await _host.GetAsync("/api/me", _issuer.Issue(Audience, "erin"));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("erin", await me.Content.ReadAsStringAsync());
        using var guest = await _host.GetAsync("/api/admin", _issuer.Issue(Audience, "erin"));
        Assert.Equal(HttpStatusCode.Forbidden, guest.StatusCode);
        using var admin = await _host.GetAsync("/api/admin", _issuer.Issue(Audience, "root", ChatRoles.Admin));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task TheApisOwnTokensStillWork()
    {
        var token = _host.Services.GetRequiredService<ChatTokens>().Issue(new ChatIdentity("u_1", "guest", ChatRoles.Guest, DateTimeOffset.UtcNow.AddHours(1)));
        using var me = await _host.GetAsync("/api/me", token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task AnotherAudienceOrAnUnpublishedKeyIsRefused()
    {
        using var audience = await _host.GetAsync("/api/me", _issuer.Issue("another-api", "erin"));
        Assert.Equal(HttpStatusCode.Unauthorized, audience.StatusCode);
        using var key = await _host.GetAsync("/api/me", _issuer.Issue(Audience, "erin", signedWithUnpublishedKey: true));
        Assert.Equal(HttpStatusCode.Unauthorized, key.StatusCode);
    }
}
