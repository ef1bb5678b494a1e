using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;

namespace Chatroom.Core.Tests.Chat;

/// <summary>Each rule a person's send passes, with the code and sentence the person reads when it refuses.</summary>
public sealed class SendAdmissionTests : IAsyncLifetime
{
    private const string Room = "general";
    private readonly EmbeddedChat _chat = new(o => (o.Burst, o.MessagesPerSecond, o.UserBurst, o.UserMessagesPerSecond, o.MaxMessageLength) = (3, 1, 5, 1, 10));

    public async Task InitializeAsync() => await _chat.Rooms.CreateAsync(Room, null, "owner", CancellationToken.None);

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Fact]
    public async Task AnAdmittedSendIsStored_AndARetriedClientIdIsStoredOnce()
    {
        var ana = _chat.Sender("ana", false, Room);

        var first = await _chat.Admission.SendAsync(ana, Room, "hello", "c-1", CancellationToken.None);
        var retry = await _chat.Admission.SendAsync(ana, Room, "hello", "c-1", CancellationToken.None);

        Assert.False(first.Duplicate);
        Assert.True(retry.Duplicate);
        Assert.Equal(first.Message.Id, retry.Message.Id);
        var stored = Assert.Single(await _chat.Log.ReadAsync(Room, new MessageQuery(null, null, 10), CancellationToken.None));
        Assert.Equal(("ana", "hello", MessageKind.User), (stored.AuthorId, stored.Text, stored.Kind));
    }

    [Fact]
    public async Task ARetriedClientIdWithAnotherTextIsRefused_AndTheFirstTextStands()
    {
        var ana = _chat.Sender("ana", false, Room);
        await _chat.Admission.SendAsync(ana, Room, "hello", "c-1", CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<ChatException>(() => _chat.Admission.SendAsync(ana, Room, "goodbye", "c-1", CancellationToken.None));

        Assert.Equal(ErrorCodes.IdempotencyKeyReused, refusal.Code);
        Assert.Equal("'c-1' was used for another message in 'general'; a new message needs a new id", refusal.Message);
        var stored = Assert.Single(await _chat.Log.ReadAsync(Room, new MessageQuery(null, null, 10), CancellationToken.None));
        Assert.Equal("hello", stored.Text);
    }

    [Fact]
    public async Task ARoomNotJoinedIsRefused() =>
        await AssertRefusedAsync(_chat.Sender("ana", false), ErrorCodes.NotMember, "join 'general' before sending to it");

    [Fact]
    public async Task AnInvalidRoomNameIsRefusedBeforeMembership()
    {
        var refusal = await Assert.ThrowsAsync<ChatException>(() =>
            _chat.Admission.SendAsync(_chat.Sender("ana", false), "No Such", "hi", null, CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidRoomName, refusal.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünicode")]
    public async Task AClientIdThatIsNotPrintableAsciiIsRefused(string clientMessageId) =>
        await AssertRefusedAsync(_chat.Sender("ana", false, Room), ErrorCodes.InvalidClientMessageId,
            "clientMessageId must be 1-64 printable ASCII characters", clientMessageId: clientMessageId);

    [Fact]
    public async Task AClientIdLongerThanTheLimitIsRefused() =>
        await AssertRefusedAsync(_chat.Sender("ana", false, Room), ErrorCodes.InvalidClientMessageId,
            "clientMessageId must be 1-64 printable ASCII characters", clientMessageId: new string('x', 65));

    [Fact]
    public async Task ALockedRoomRefusesPeople_ButNotAdmins()
    {
        await _chat.RoomStore.UpdateSettingsAsync(Room, 0, locked: true, CancellationToken.None);

        await AssertRefusedAsync(_chat.Sender("ana", false, Room), ErrorCodes.RoomLocked, "'general' is locked; only admins can post");
        await _chat.Admission.SendAsync(_chat.Sender("root", true, Room), Room, "notice", null, CancellationToken.None);
    }

    [Fact]
    public async Task ABannedPersonIsRefused_UntilTheBanEnds()
    {
        var ana = _chat.Sender("ana", false, Room);
        await _chat.RoomStore.BanAsync(Room, "ana", _chat.Time.GetUtcNow().AddMinutes(5), CancellationToken.None);

        await AssertRefusedAsync(ana, ErrorCodes.Banned, "you are banned from 'general'");
        _chat.Time.Advance(TimeSpan.FromMinutes(6));
        await _chat.Admission.SendAsync(ana, Room, "back", null, CancellationToken.None);
    }

    [Fact]
    public async Task AMutedPersonIsToldHowLongIsLeft()
    {
        var ana = _chat.Sender("ana", false, Room);
        await _chat.Moderation.MuteAsync(Room, "ana", _chat.Time.GetUtcNow().AddSeconds(90), CancellationToken.None);

        var refusal = await AssertRefusedAsync(ana, ErrorCodes.Muted, "you are muted in 'general' for 90 s more");
        Assert.Equal(TimeSpan.FromSeconds(90), refusal.RetryAfter);

        _chat.Time.Advance(TimeSpan.FromSeconds(91));
        await _chat.Admission.SendAsync(ana, Room, "unmuted", null, CancellationToken.None);
    }

    [Fact]
    public async Task SlowModeHoldsPerPerson_AcrossTheirConnections()
    {
        await _chat.RoomStore.UpdateSettingsAsync(Room, slowModeSeconds: 30, locked: false, CancellationToken.None);
        var phone = _chat.Sender("ana", false, Room);
        var laptop = _chat.Sender("ana", false, phone.User, Room);

        await _chat.Admission.SendAsync(phone, Room, "first", null, CancellationToken.None);
        _chat.Time.Advance(TimeSpan.FromSeconds(10));
        var refusal = await AssertRefusedAsync(laptop, ErrorCodes.SlowMode, "slow mode is on; wait 20 s");
        Assert.Equal(TimeSpan.FromSeconds(20), refusal.RetryAfter);

        // Someone else is not slowed by Ana's post, and an admin is never slowed.
        await _chat.Admission.SendAsync(_chat.Sender("ben", false, Room), Room, "mine", null, CancellationToken.None);
        var root = _chat.Sender("root", true, Room);
        await _chat.Admission.SendAsync(root, Room, "one", null, CancellationToken.None);
        await _chat.Admission.SendAsync(root, Room, "two", null, CancellationToken.None);

        _chat.Time.Advance(TimeSpan.FromSeconds(20));
        await _chat.Admission.SendAsync(laptop, Room, "second", null, CancellationToken.None);
    }

    [Fact]
    public async Task AConnectionPastItsBurstIsRateLimited()
    {
        var ana = _chat.Sender("ana", false, Room);
        for (var i = 0; i < 3; i++)
        {
            await _chat.Admission.SendAsync(ana, Room, $"m{i}", null, CancellationToken.None);
        }

        var refusal = await AssertRefusedAsync(ana, ErrorCodes.RateLimited, "wait 1 s");
        Assert.Equal(TimeSpan.FromSeconds(1), refusal.RetryAfter);
    }

    [Fact]
    public async Task APersonsConnectionsShareOneRate()
    {
        // Each connection may send 3 at once, the person 5: the second connection runs out after two.
        var phone = _chat.Sender("ana", false, Room);
        var laptop = _chat.Sender("ana", false, phone.User, Room);
        for (var i = 0; i < 3; i++)
        {
            await _chat.Admission.SendAsync(phone, Room, $"p{i}", null, CancellationToken.None);
        }

        await _chat.Admission.SendAsync(laptop, Room, "l0", null, CancellationToken.None);
        await _chat.Admission.SendAsync(laptop, Room, "l1", null, CancellationToken.None);
        await AssertRefusedAsync(laptop, ErrorCodes.RateLimited, "wait 1 s");
    }

    [Theory]
    [InlineData("", ErrorCodes.EmptyText, "the message is empty")]
    [InlineData(" \n\t", ErrorCodes.EmptyText, "the message is empty")]
    [InlineData("eleven char", ErrorCodes.TextTooLong, "the message has 11 characters; the limit is 10")]
    public async Task EmptyAndOverlongTextIsRefused(string text, string code, string sentence) =>
        await AssertRefusedAsync(_chat.Sender("ana", false, Room), code, sentence, text);

    [Fact]
    public async Task TextLengthCountsCharactersNotUtf16Units()
    {
        var ana = _chat.Sender("ana", false, Room);

        // Ten emoji are twenty UTF-16 units but ten characters: within the limit of 10.
        await _chat.Admission.SendAsync(ana, Room, string.Concat(Enumerable.Repeat("😀", 10)), null, CancellationToken.None);
        await AssertRefusedAsync(ana, ErrorCodes.TextTooLong, "the message has 11 characters; the limit is 10", string.Concat(Enumerable.Repeat("😀", 11)));
    }

    [Fact]
    public async Task ARoomDeletedAfterJoiningIsUnknown()
    {
        var ana = _chat.Sender("ana", false, Room);
        await _chat.RoomStore.DeleteAsync(Room, CancellationToken.None);

        await AssertRefusedAsync(ana, ErrorCodes.UnknownRoom, "there is no room 'general'");
    }

    [Fact]
    public async Task ARefusedSendStoresNothing_AndDoesNotStartTheSlowModeClock()
    {
        await _chat.RoomStore.UpdateSettingsAsync(Room, slowModeSeconds: 30, locked: false, CancellationToken.None);
        var ana = _chat.Sender("ana", false, Room);

        await AssertRefusedAsync(ana, ErrorCodes.EmptyText, "the message is empty", " ");
        await _chat.Admission.SendAsync(ana, Room, "counted", null, CancellationToken.None);

        Assert.Single(await _chat.Log.ReadAsync(Room, new MessageQuery(null, null, 10), CancellationToken.None));
    }

    [Fact]
    public async Task WithReadOnlyGuests_AGuestIsRefusedBeforeAnythingElse_AndAnAccountSends()
    {
        await using var chat = new EmbeddedChat(auth: o => o.Guests = AuthOptions.GuestsReadOnly);
        await chat.Rooms.CreateAsync(Room, null, "owner", CancellationToken.None);
        var guest = chat.Sender("ana", false);
        var options = new ChatOptions();
        var account = new TestSender(new ChatIdentity("u-bo", "bo", ChatRoles.User, DateTimeOffset.MaxValue),
            new TokenBucket(options.MessagesPerSecond, options.Burst, chat.Time),
            new UserBudget(new TokenBucket(options.UserMessagesPerSecond, options.UserBurst, chat.Time)), [Room]);

        // Not even a member: the guest hears that guests cannot write here, not that they should join.
        var refusal = await Assert.ThrowsAsync<ChatException>(() => chat.Admission.SendAsync(guest, Room, "hello", null, CancellationToken.None));
        Assert.Equal((ErrorCodes.GuestsReadOnly, "guests can read here but not write; sign in with an account to chat"), (refusal.Code, refusal.Message));
        await chat.Admission.SendAsync(account, Room, "hello from an account", null, CancellationToken.None);

        var stored = Assert.Single(await chat.Log.ReadAsync(Room, new MessageQuery(null, null, 10), CancellationToken.None));
        Assert.Equal("u-bo", stored.AuthorId);
    }

    [Fact]
    public async Task AMinorWaitingForAGuardian_IsRefusedBeforeAnythingElse_FromTheTokenAlone()
    {
        var options = new ChatOptions();
        var waiting = new TestSender(new ChatIdentity("u-kid", "kid", ChatRoles.User, DateTimeOffset.MaxValue) { AwaitingGuardian = true },
            new TokenBucket(options.MessagesPerSecond, options.Burst, _chat.Time),
            new UserBudget(new TokenBucket(options.UserMessagesPerSecond, options.UserBurst, _chat.Time)), []);
        await AssertRefusedAsync(waiting, ErrorCodes.GuardianConsentRequired,
            "your account is waiting for your guardian's consent; you can read, and send once they approve");

        var claims = new System.Security.Claims.ClaimsIdentity(
            [new(ChatClaims.Subject, "u-kid"), new(ChatClaims.Role, ChatRoles.User), new(ChatClaims.GuardianConsent, "pending")], "test");
        Assert.True(ChatClaims.ToIdentity(claims, DateTime.MinValue)!.AwaitingGuardian);
        claims.RemoveClaim(claims.FindFirst(ChatClaims.GuardianConsent));
        Assert.False(ChatClaims.ToIdentity(claims, DateTime.MinValue)!.AwaitingGuardian);
    }

    private async Task<ChatException> AssertRefusedAsync(TestSender sender, string code, string sentence, string text = "hello", string? clientMessageId = null)
    {
        var refusal = await Assert.ThrowsAsync<ChatException>(() => _chat.Admission.SendAsync(sender, Room, text, clientMessageId, CancellationToken.None));
        Assert.Equal((code, sentence), (refusal.Code, refusal.Message));
        return refusal;
    }
}
