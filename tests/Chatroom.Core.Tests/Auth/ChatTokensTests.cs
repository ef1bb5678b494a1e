using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Chatroom.Core.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Chatroom.Core.Tests.Auth;

public sealed class ChatTokensTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly ChatTokens _tokens = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task AnIssuedTokenValidatesToTheSameIdentity()
    {
        var identity = new ChatIdentity("u_1", "Zoë 🎉", ChatRoles.Guest, Now.AddHours(1));
        var validated = await _tokens.ValidateAsync(_tokens.Issue(identity));
        Assert.NotNull(validated);
        Assert.Equal(("u_1", "Zoë 🎉", ChatRoles.Guest), (validated.UserId, validated.Name, validated.Role));
        Assert.False(validated.IsAdmin);
    }

    [Fact]
    public void AnIssuedTokenIsAStandardHs256Jwt()
    {
        var token = new JsonWebToken(_tokens.Issue(new ChatIdentity("admin", "admin", ChatRoles.Admin, Now.AddHours(1))));
        Assert.Equal(("HS256", "JWT"), (token.Alg, token.Typ));
        Assert.Equal((ChatTokens.Issuer, ChatTokens.Audience), (token.Issuer, token.Audiences.Single()));
        Assert.Equal(("admin", "admin", "admin"), (token.Subject, token.GetClaim("name").Value, token.GetClaim("role").Value));
        Assert.Equal(Now.AddHours(1).ToUnixTimeSeconds(), new DateTimeOffset(token.ValidTo).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task AnExpiredTokenIsRejected()
    {
        var token = _tokens.Issue(new ChatIdentity("u_1", "a", ChatRoles.Guest, Now - ChatTokens.ClockSkew - TimeSpan.FromSeconds(5)));
        Assert.Null(await _tokens.ValidateAsync(token));
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRejected()
    {
        var other = new ChatTokens(RandomNumberGenerator.GetBytes(32));
        var token = other.Issue(new ChatIdentity("admin", "admin", ChatRoles.Admin, Now.AddHours(1)));
        Assert.Null(await _tokens.ValidateAsync(token));
    }

    [Fact]
    public async Task AnAlteredPayloadIsRejected()
    {
        var token = _tokens.Issue(new ChatIdentity("u_1", "a", ChatRoles.Guest, Now.AddHours(1)));
        var parts = token.Split('.');
        var forgedPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            "{\"sub\":\"u_1\",\"name\":\"a\",\"role\":\"admin\",\"iss\":\"chatroom\",\"aud\":\"chatroom\",\"exp\":9999999999}"));
        Assert.Null(await _tokens.ValidateAsync($"{parts[0]}.{forgedPayload}.{parts[2]}"));
    }

    [Fact]
    public async Task AnUnsignedTokenIsRejected()
    {
        var header = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{{\"sub\":\"admin\",\"name\":\"admin\",\"role\":\"admin\",\"iss\":\"chatroom\",\"aud\":\"chatroom\",\"exp\":{Now.AddHours(1).ToUnixTimeSeconds()}}}"));
        Assert.Null(await _tokens.ValidateAsync($"{header}.{payload}."));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("v1.e30.AAAA")]
    [InlineData("a.b.c")]
    [InlineData("!!!.@@@.###")]
    public async Task MalformedTokensAreRejected(string? token) => Assert.Null(await _tokens.ValidateAsync(token));

    [Fact]
    public void KeysShorterThan32BytesAreRefused() =>
        Assert.Throws<ArgumentException>(() => new ChatTokens(new byte[16]));
}
