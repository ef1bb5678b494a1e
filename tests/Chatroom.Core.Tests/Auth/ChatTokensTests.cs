using System.Security.Cryptography;
using Chatroom.Core.Auth;

namespace Chatroom.Core.Tests.Auth;

public sealed class ChatTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly ChatTokens _tokens = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void AnIssuedTokenValidatesToTheSameIdentity()
    {
        var identity = new ChatIdentity("u_1", "Zoë 🎉", ChatRoles.Guest, Now.AddHours(1));
        var validated = _tokens.Validate(_tokens.Issue(identity), Now);
        Assert.NotNull(validated);
        Assert.Equal(("u_1", "Zoë 🎉", ChatRoles.Guest), (validated.UserId, validated.Name, validated.Role));
        Assert.False(validated.IsAdmin);
    }

    [Fact]
    public void AnExpiredTokenIsRejected()
    {
        var token = _tokens.Issue(new ChatIdentity("u_1", "a", ChatRoles.Guest, Now.AddSeconds(-1)));
        Assert.Null(_tokens.Validate(token, Now));
    }

    [Fact]
    public void ATokenSignedWithAnotherKeyIsRejected()
    {
        var other = new ChatTokens(RandomNumberGenerator.GetBytes(32));
        var token = other.Issue(new ChatIdentity("admin", "admin", ChatRoles.Admin, Now.AddHours(1)));
        Assert.Null(_tokens.Validate(token, Now));
    }

    [Fact]
    public void AnAlteredPayloadIsRejected()
    {
        var token = _tokens.Issue(new ChatIdentity("u_1", "a", ChatRoles.Guest, Now.AddHours(1)));
        var parts = token.Split('.');
        var forgedPayload = System.Buffers.Text.Base64Url.EncodeToString(
            System.Text.Encoding.UTF8.GetBytes("{\"sub\":\"u_1\",\"name\":\"a\",\"role\":\"admin\",\"exp\":9999999999}"));
        Assert.Null(_tokens.Validate($"{parts[0]}.{forgedPayload}.{parts[2]}", Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("v1.")]
    [InlineData("v1..")]
    [InlineData("v1.!!!.@@@")]
    public void MalformedTokensAreRejected(string? token) => Assert.Null(_tokens.Validate(token, Now));

    [Fact]
    public void KeysShorterThan32BytesAreRefused() =>
        Assert.Throws<ArgumentException>(() => new ChatTokens(new byte[16]));
}
