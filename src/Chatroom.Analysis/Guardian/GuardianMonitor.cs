using Chatroom.Analysis.Knowledge;
using Chatroom.Core.Contacts;
using Chatroom.Core.GuardianCases;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Guardian;

/// <summary>
/// The guardian agent's watch, fed by the analysis worker after each classified batch of a room. For a private or direct
/// room with a minor in it, it scores the rolling window (the room's latest messages, up to
/// <see cref="GuardianOptions.WindowMessages"/> and <see cref="GuardianOptions.WindowAge"/>) and opens one case per window
/// above the threshold (an admin's stored settings, read on every look, override configuration); when the window starts a new contact, it also checks whether the adult has opened too many new
/// contacts with minors in the period. It never fails the batch: moderation goes on whatever happens here.
/// </summary>
public sealed partial class GuardianMonitor(
    IRoomStore rooms,
    IMessageLog log,
    IParticipantStore participants,
    IGuardianCaseStore cases,
    IGuardianSettingsStore settingsStore,
    GuardianScorer scorer,
    GuardianCaseSummarizer summarizer,
    GuardianCaseMetrics metrics,
    IOptionsMonitor<GuardianOptions> options,
    TimeProvider time,
    ILogger<GuardianMonitor> logger)
{
    /// <summary>Rooms with more members than this are not "small private rooms" and are left to per-message moderation.</summary>
    public const int MaxWatchedMembers = 8;

    /// <summary>Looks at a room after messages up to <paramref name="lastMessageId"/> were stored there.</summary>
    public async Task ObserveAsync(string room, long lastMessageId, CancellationToken cancellationToken)
    {
        var configured = options.CurrentValue;
        if (!configured.Enabled)
        {
            return;
        }

        try
        {
            await WatchAsync(room, lastMessageId, configured, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (e is EmbeddingUnavailableException)
            {
                LogNoEmbeddings(logger, room);
            }
            else
            {
                LogFailed(logger, e, room);
            }
        }
    }

    private async Task WatchAsync(string room, long lastMessageId, GuardianOptions configured, CancellationToken cancellationToken)
    {
        if (await rooms.GetAsync(room, cancellationToken) is not { IsMembersOnly: true } found)
        {
            return;
        }

        var members = (await rooms.ListMembersAsync(room, cancellationToken)).Select(m => m.UserId).ToList();
        if (members.Count is < 2 or > MaxWatchedMembers)
        {
            return;
        }

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var profiles = await participants.GetManyAsync(members, cancellationToken);
        var ages = members.ToDictionary(m => m, m => profiles.GetValueOrDefault(m)?.AgeOn(today));
        var minors = members.Where(m => ages[m] < GuardianScorer.AdultAge).ToList();
        if (minors.Count == 0)
        {
            return;
        }

        // Read here, past the cheap checks, so only watched conversations pay for it; a change applies on the next look.
        var settings = configured.With(await settingsStore.GetAsync(cancellationToken));

        var window = (await log.ReadAsync(room, new MessageQuery(lastMessageId + 1, null, settings.WindowMessages), cancellationToken))
            .Where(m => m.Kind == MessageKind.User && m.SentAt >= now - settings.WindowAge)
            .OrderBy(m => m.Id).ToList();
        if (window.Count == 0)
        {
            return;
        }

        var firstContact = window[0].Id == 1;
        var authors = window.Select(m => m.AuthorId).Distinct().ToList();
        var transcript = new GuardianTranscript(
            members.Union(authors).Select(id => new GuardianParticipant(id, ages.GetValueOrDefault(id))).ToList(),
            window.Select(m => new GuardianLine(m.AuthorId, m.Text, m.SentAt)).ToList(),
            firstContact);
        var score = await scorer.ScoreAsync(transcript, settings.Threshold ?? scorer.Model.Threshold, cancellationToken);
        var youngest = minors.MinBy(m => ages[m])!;
        var adults = authors.Where(a => a != youngest && !minors.Contains(a)).ToList();
        if (score.WouldOpenCase && adults.Count > 0)
        {
            // The adult who wrote most in the window is the case's subject.
            var subject = adults.MaxBy(a => window.Count(m => m.AuthorId == a))!;
            var evidence = score.Signals.SelectMany(s => s.Evidence).ToHashSet(StringComparer.Ordinal);
            var lines = window.Where(m => evidence.Contains(m.Text)).Select(m => $"{m.AuthorName}: {m.Text}").ToList();
            var summary = await summarizer.SummarizeAsync(score, lines, ages[subject], ages[youngest]!.Value, cancellationToken);
            // Non-overlapping blocks of the window's length: a conversation opens at most one case per block.
            var windowKey = $"{room}:{lastMessageId / settings.WindowMessages}";
            await OpenAsync(new GuardianCase(0, GuardianCaseKinds.Conversation, room, subject, minors, score.Score,
                score.Signals.Select(s => new GuardianCaseSignal(s.Name, s.Score, s.Evidence)).ToList(), lines, summary, windowKey,
                GuardianCaseStates.Open, now), cancellationToken);
        }

        if (firstContact && window[0].AuthorId is var opener && !minors.Contains(opener))
        {
            await CheckNewContactsAsync(opener, settings, now, today, cancellationToken);
        }
    }

    /// <summary>An adult who started conversations with many different minors within the period opens a contacts case.</summary>
    private async Task CheckNewContactsAsync(string adult, GuardianOptions settings, DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        var since = now - settings.ContactPeriod;
        var contacts = new HashSet<string>(StringComparer.Ordinal);
        var roomsWith = new List<string>();
        foreach (var name in await rooms.ListRoomsOfAsync(adult, cancellationToken))
        {
            if (await rooms.GetAsync(name, cancellationToken) is not { IsMembersOnly: true })
            {
                continue;
            }

            var recent = (await rooms.ListMembersAsync(name, cancellationToken)).Where(m => m.UserId != adult && m.Since >= since).Select(m => m.UserId).ToList();
            var profiles = await participants.GetManyAsync(recent, cancellationToken);
            foreach (var minor in recent.Where(id => profiles.GetValueOrDefault(id)?.IsMinorOn(today) == true))
            {
                if (contacts.Add(minor))
                {
                    roomsWith.Add(name);
                }
            }
        }

        if (contacts.Count < settings.MaxNewMinorContacts)
        {
            return;
        }

        var signal = new GuardianCaseSignal(GuardianSignals.FirstContact, 1,
            [$"{contacts.Count} new private contacts with minors within {settings.ContactPeriod.TotalHours:0} h"]);
        await OpenAsync(new GuardianCase(0, GuardianCaseKinds.Contacts, null, adult, contacts.ToList(), 1, [signal], roomsWith.Select(r => $"room {r}").ToList(),
            $"This account opened {contacts.Count} new private conversations with minors within {settings.ContactPeriod.TotalHours:0} hours.",
            $"contacts:{adult}:{now.UtcTicks / settings.ContactPeriod.Ticks}", GuardianCaseStates.Open, now), cancellationToken);
    }

    private async Task OpenAsync(GuardianCase draft, CancellationToken cancellationToken)
    {
        var (opened, isNew) = await cases.OpenAsync(draft, cancellationToken);
        if (isNew)
        {
            metrics.Opened(opened.Kind);
            LogOpened(logger, opened.Id, opened.Kind, opened.Score);
        }
    }

    [LoggerMessage(EventId = 5811, Level = LogLevel.Information, Message = "Guardian case {CaseId} opened ({Kind}, score {Score})")]
    private static partial void LogOpened(ILogger logger, long caseId, string kind, double score);

    [LoggerMessage(EventId = 5812, Level = LogLevel.Error, Message = "The guardian agent could not look at room {Room}; moderation carries on")]
    private static partial void LogFailed(ILogger logger, Exception exception, string room);

    [LoggerMessage(EventId = 5813, Level = LogLevel.Warning, Message = "The guardian agent skipped room {Room}: the local embedding model is not available")]
    private static partial void LogNoEmbeddings(ILogger logger, string room);
}
