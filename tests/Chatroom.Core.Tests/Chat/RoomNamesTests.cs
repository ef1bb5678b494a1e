using Chatroom.Core.Errors;
using Chatroom.Core.Rooms;

namespace Chatroom.Core.Tests.Chat;

public sealed class RoomNamesTests
{
    [Theory]
    [InlineData("lobby")]
    [InlineData("a")]
    [InlineData("team-42")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void ValidNamesPass(string name) => Assert.Equal(name, RoomNames.Validate(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Lobby")]
    [InlineData("with space")]
    [InlineData("under_score")]
    [InlineData("ünïcode")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    public void InvalidNamesAreRefusedWithAStableCode(string? name)
    {
        var refusal = Assert.Throws<ChatException>(() => RoomNames.Validate(name));
        Assert.Equal(ErrorCodes.InvalidRoomName, refusal.Code);
    }
}
