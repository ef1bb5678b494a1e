using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;

namespace Chatroom.Core.Moderation;

/// <summary>
/// What moderation and admins can do to a message or a user. Every action is applied, announced to the room's
/// clients where they must react (<c>messageHidden</c>, a <c>system</c> notice) and written to the audit log.
/// </summary>
public sealed class ModerationActions(
    IMessageLog log,
    IRoomStore rooms,
    IModerationStore store,
    IChatBus bus,
    TimeProvider time)
{
    public async Task<bool> HideAsync(string room, long messageId, string actor, string reason, string? detail, CancellationToken cancellationToken)
    {
        if (!await log.SetHiddenAsync(room, messageId, hidden: true, cancellationToken))
        {
            return false;
        }

        await bus.PublishAsync(new ChatEvent(ChatEventTypes.MessageHidden, room, ChatJson.ToElement(new MessageHiddenEvent(room, messageId))), cancellationToken);
        await AuditAsync(actor, ModerationActionNames.Hide, room, messageId, null, reason, detail, cancellationToken);
        return true;
    }

    /// <summary>Shows a hidden message again; clients receive it as a <c>message</c> event and replace it by id.</summary>
    public async Task<bool> RestoreAsync(string room, long messageId, string actor, string reason, CancellationToken cancellationToken)
    {
        if (!await log.SetHiddenAsync(room, messageId, hidden: false, cancellationToken) ||
            await log.GetAsync(room, messageId, cancellationToken) is not { } message)
        {
            return false;
        }

        await bus.PublishAsync(new ChatEvent(ChatEventTypes.Message, room, ChatJson.ToElement(message)), cancellationToken);
        await AuditAsync(actor, ModerationActionNames.Restore, room, messageId, message.AuthorId, reason, null, cancellationToken);
        return true;
    }

    public async Task MuteAsync(string room, string userId, string userName, TimeSpan duration, string actor, string reason, long? messageId, CancellationToken cancellationToken)
    {
        await store.MuteAsync(room, userId, time.GetUtcNow() + duration, cancellationToken);
        await NoticeAsync(room, $"{userName} is muted for {(int)duration.TotalSeconds} s", cancellationToken);
        await AuditAsync(actor, ModerationActionNames.Mute, room, messageId, userId, reason, $"{(int)duration.TotalSeconds} s", cancellationToken);
    }

    public async Task BanAsync(string room, string userId, string userName, DateTimeOffset? until, string actor, string reason, long? messageId, CancellationToken cancellationToken)
    {
        await rooms.BanAsync(room, userId, until, cancellationToken);
        await NoticeAsync(room, $"{userName} is banned from this room", cancellationToken);
        await AuditAsync(actor, ModerationActionNames.Ban, room, messageId, userId, reason, until?.ToString("O"), cancellationToken);
    }

    /// <summary>Turns slow mode on (or off with 0); false when the room does not exist.</summary>
    public async Task<bool> SlowModeAsync(string room, int seconds, string actor, string reason, CancellationToken cancellationToken)
    {
        if (await rooms.GetAsync(room, cancellationToken) is not { } found ||
            !await rooms.UpdateSettingsAsync(room, seconds, found.Locked, cancellationToken))
        {
            return false;
        }

        await NoticeAsync(room, seconds > 0 ? $"slow mode is on: one message every {seconds} s" : "slow mode is off", cancellationToken);
        await AuditAsync(actor, ModerationActionNames.SlowMode, room, null, null, reason, $"{seconds} s", cancellationToken);
        return true;
    }

    public async Task<FlagRecord> FlagAsync(ChatMessage message, VerdictRecord verdict, string actor, string reason, CancellationToken cancellationToken)
    {
        var flag = await store.FlagAsync(new FlagRecord(0, message.Room, message.Id, message.AuthorId, message.AuthorName, message.Text, reason,
            verdict.Categories, verdict.UnsafeScore, FlagStates.Open, time.GetUtcNow(), null, null), cancellationToken);
        await AuditAsync(actor, ModerationActionNames.Flag, message.Room, message.Id, message.AuthorId, reason, string.Join(',', verdict.Categories), cancellationToken);
        return flag;
    }

    /// <summary>A person's report: into the review queue with their reason, and audited under the reporter's id.</summary>
    public async Task<FlagRecord> ReportAsync(ChatMessage message, string reporterId, string reason, string category, CancellationToken cancellationToken)
    {
        var flag = await store.FlagAsync(new FlagRecord(0, message.Room, message.Id, message.AuthorId, message.AuthorName, message.Text, reason,
            [category], 0, FlagStates.Open, time.GetUtcNow(), null, null), cancellationToken);
        await AuditAsync(reporterId, ModerationActionNames.Report, message.Room, message.Id, message.AuthorId, reason, null, cancellationToken);
        return flag;
    }

    public Task<AuditEntry> AuditAsync(string actor, string action, string? room, long? messageId, string? targetUserId, string reason, string? detail, CancellationToken cancellationToken) =>
        store.AuditAsync(new AuditEntry(0, time.GetUtcNow(), actor, action, room, messageId, targetUserId, reason, detail), cancellationToken);

    private ValueTask NoticeAsync(string room, string text, CancellationToken cancellationToken) =>
        bus.PublishAsync(new ChatEvent(ChatEventTypes.System, room, ChatJson.ToElement(new { room, text })), cancellationToken);
}

/// <summary>The payload of <c>messageHidden</c>.</summary>
public sealed record MessageHiddenEvent(string Room, long Id);

/// <summary>Action names as they appear in the audit log.</summary>
public static class ModerationActionNames
{
    public const string Flag = "flag";

    /// <summary>A person reported a message or a person (the flag carries their reason).</summary>
    public const string Report = "report";
    public const string Hide = "hide";
    public const string Restore = "restore";
    public const string Mute = "mute";
    public const string Ban = "ban";
    public const string SlowMode = "slow_mode";
    public const string Approve = "approve";
    public const string Broadcast = "broadcast";

    /// <summary>Account-wide: the account cannot sign in until the detail's time (or ever).</summary>
    public const string BanAccount = "ban_account";
    public const string UnbanAccount = "unban_account";
    public const string DisableAccount = "disable_account";
    public const string EnableAccount = "enable_account";
    public const string SetAccountRoles = "set_account_roles";
    public const string ResetSecondFactors = "reset_second_factors";
    public const string SignOutAccount = "sign_out_account";

    /// <summary>A person removed one of their own passkeys (the actor is the account itself).</summary>
    public const string DeletePasskey = "delete_passkey";
}
