using System.Collections.Concurrent;
using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Chatroom.Core.Contacts;

/// <summary>
/// A person reporting a message or a person: the report joins the existing review queue as a flag carrying the reporter's
/// reason, and the reported message is the excerpt the moderator sees — the only way private content reaches a moderator
/// besides a guardian case. Only what the reporter can read can be reported — a request waiting for them included, so a
/// creepy first message is reported without accepting it — and each person files a limited number per hour.
/// </summary>
public sealed class ReportService(
    ChatService chat,
    IRoomStore rooms,
    IMessageLog log,
    ModerationActions actions,
    IOptions<ConversationOptions> options,
    TimeProvider time)
{
    /// <summary>The flag category of a report (beside the analysis' own categories).</summary>
    public const string Category = "report";

    /// <summary>How far back a report of a person looks for their latest message in the room.</summary>
    private const int PersonLookback = 200;

    private readonly ConversationOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, TokenBucket> _budgets = new(StringComparer.Ordinal);

    public async Task<FlagRecord> ReportAsync(
        ChatIdentity reporter, string? room, long? messageId, string? userId, string? reason, CancellationToken cancellationToken)
    {
        var why = reason?.Trim();
        if (string.IsNullOrEmpty(why) || why.Length > _options.MaxReportReasonLength || why.Any(char.IsControl))
        {
            throw new ChatException(ErrorCodes.InvalidReason, $"a reason of 1-{_options.MaxReportReasonLength} characters on one line is required");
        }

        if (messageId is null && userId is null)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "name the message (messageId) or the person (userId) you report");
        }

        if (messageId is < 1)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "messageId is 1 or more");
        }

        var found = await chat.GetRoomAsync(room ?? string.Empty, cancellationToken);
        if (found.IsMembersOnly
            && await rooms.GetMemberAsync(found.Name, reporter.UserId, cancellationToken) is not { Role: MemberRoles.Owner or MemberRoles.Member or MemberRoles.Pending })
        {
            throw ChatService.UnknownRoom(found.Name);
        }

        var message = messageId is { } id
            ? await log.GetAsync(found.Name, id, cancellationToken)
            : (await log.ReadAsync(found.Name, new MessageQuery(null, null, PersonLookback), cancellationToken))
                .LastOrDefault(m => m.AuthorId == UserIds.Validate(userId));
        if (message is null || (userId is not null && message.AuthorId != userId))
        {
            throw new ChatException(ErrorCodes.NotFound, "there is no such message of that person in this room to report");
        }

        if (message.AuthorId == reporter.UserId)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "you cannot report yourself");
        }

        var budget = _budgets.GetOrAdd(reporter.UserId, _ => new TokenBucket(_options.ReportsPerHour / 3600.0, _options.ReportsPerHour, time));
        if (!budget.TryTake(out var retryAfter))
        {
            throw new ChatException(ErrorCodes.RateLimited, $"you filed {_options.ReportsPerHour} reports this hour; wait a while", retryAfter);
        }

        return await actions.ReportAsync(message, reporter.UserId, $"reported by {reporter.Name}: {why}", Category, cancellationToken);
    }
}
