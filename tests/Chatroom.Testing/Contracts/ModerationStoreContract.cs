using Chatroom.Core.Moderation;

namespace Chatroom.Testing.Contracts;

/// <summary>
/// What every <see cref="IModerationStore"/> must do. Each test gets a fresh store (but rooms and the
/// review queue may be shared with nothing else, so global reads are filtered to this test's rooms).
/// Times sit well inside or outside the rolling windows: stores may count whole minutes at the edges.
/// </summary>
public abstract class ModerationStoreContract : IAsyncLifetime
{
    /// <summary>Now, to the millisecond (the stores keep milliseconds), aligned to the middle of a minute.</summary>
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000 + 30_000);

    protected IModerationStore Store { get; private set; } = null!;

    /// <summary>A room name unique to this test.</summary>
    protected string Room { get; } = "mod-" + Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IModerationStore> CreateStoreAsync();

    private VerdictRecord Verdict(long messageId, string mood, bool @unsafe, DateTimeOffset at, params string[] categories) =>
        new(Room, messageId, "author-" + messageId, mood, mood == "happy" ? 0.8 : mood == "sad" ? -0.6 : 0.0,
            @unsafe ? "unsafe" : "safe", @unsafe ? 0.91 : 0.05, categories, "embedded", 0.75, at);

    [Fact]
    public async Task AVerdictIsStoredOnceAndReadsBack()
    {
        var verdict = Verdict(1, "sad", true, Now, "harassment", "hate");
        Assert.True(await Store.SaveVerdictAsync(verdict, CancellationToken.None));
        Assert.False(await Store.SaveVerdictAsync(verdict with { Mood = "happy" }, CancellationToken.None));

        var read = await Store.GetVerdictAsync(Room, 1, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(verdict with { Categories = read.Categories }, read);
        Assert.Equal(["harassment", "hate"], read.Categories);
        Assert.Null(await Store.GetVerdictAsync(Room, 2, CancellationToken.None));
        Assert.Null(await Store.GetVerdictAsync(Room + "-other", 1, CancellationToken.None));
        Assert.Null(read.Model);
        Assert.Null(read.Fallback);

        var counts = (await Store.GetAggregatesAsync(Room, Now, CancellationToken.None)).AllTime;
        Assert.Equal(1, counts.Total);
        Assert.Equal(1, counts.Sad);
    }

    [Fact]
    public async Task AVerdictKeepsTheModelThatDecidedAndWhyTheLlmTierGaveNoAnswer()
    {
        var byModel = Verdict(1, "neutral", true, Now, "violence") with { Tier = "llm", Model = "llama3.2:3b" };
        var fellBack = Verdict(2, "neutral", true, Now, "violence") with { Fallback = "circuit_open" };
        Assert.True(await Store.SaveVerdictAsync(byModel, CancellationToken.None));
        Assert.True(await Store.SaveVerdictAsync(fellBack, CancellationToken.None));

        var first = await Store.GetVerdictAsync(Room, 1, CancellationToken.None);
        var second = await Store.GetVerdictAsync(Room, 2, CancellationToken.None);
        Assert.Equal(("llm", "llama3.2:3b", (string?)null), (first!.Tier, first.Model, first.Fallback));
        Assert.Equal(("embedded", (string?)null, "circuit_open"), (second!.Tier, second.Model, second.Fallback));
    }

    /// <summary>Far ahead of every other test's verdicts, so this test's are the newest even in a shared store.</summary>
    private static DateTimeOffset Later() => Now.AddYears(50).AddMinutes(Random.Shared.Next(0, 1_000_000));

    [Fact]
    public async Task TheLatestVerdictsListNewestFirstAcrossRoomsEachOnce()
    {
        var start = Later();
        var otherRoom = Room + "-b";
        var first = Verdict(1, "happy", false, start);
        var second = Verdict(1, "sad", true, start.AddSeconds(2), "harassment") with { Room = otherRoom, Tier = "llm", Model = "llama3.2:3b" };
        var third = Verdict(2, "neutral", false, start.AddSeconds(1)) with { Fallback = "circuit_open" };
        foreach (var verdict in new[] { first, second, third, first })
        {
            await Store.SaveVerdictAsync(verdict, CancellationToken.None);
        }

        var latest = (await Store.ListRecentVerdictsAsync(10, CancellationToken.None)).Where(v => v.Room == Room || v.Room == otherRoom).ToList();
        Assert.Equal([(otherRoom, 1L), (Room, 2L), (Room, 1L)], latest.Select(v => (v.Room, v.MessageId)));
        VerdictRecord[] expected = [second, third, first];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i] with { Categories = latest[i].Categories }, latest[i]);
            Assert.Equal(expected[i].Categories, latest[i].Categories);
        }

        Assert.Equal([(otherRoom, 1L), (Room, 2L)], (await Store.ListRecentVerdictsAsync(2, CancellationToken.None)).Select(v => (v.Room, v.MessageId)));
        Assert.Empty(await Store.ListRecentVerdictsAsync(0, CancellationToken.None));
    }

    [Fact]
    public async Task TheLatestVerdictsStopAtTheBound()
    {
        var start = Later();
        var count = IModerationStore.MaxRecentVerdicts + 5;
        for (var i = 1; i <= count; i++)
        {
            await Store.SaveVerdictAsync(Verdict(i, "neutral", false, start.AddSeconds(i)), CancellationToken.None);
        }

        var latest = await Store.ListRecentVerdictsAsync(int.MaxValue, CancellationToken.None);
        Assert.Equal(IModerationStore.MaxRecentVerdicts, latest.Count);
        Assert.Equal(Enumerable.Range(6, IModerationStore.MaxRecentVerdicts).Reverse().Select(i => (Room, (long)i)), latest.Select(v => (v.Room, v.MessageId)));
    }

    [Fact]
    public async Task AggregatesCountAllTimeAndTheRollingWindows()
    {
        await Store.SaveVerdictAsync(Verdict(1, "happy", false, Now.AddHours(-3)), CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(2, "sad", true, Now.AddMinutes(-40), "violence"), CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(3, "neutral", true, Now.AddMinutes(-5), "violence", "hate"), CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(4, "happy", false, Now.AddMinutes(-1)), CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(5, "odd-mood", false, Now), CancellationToken.None);

        var aggregates = await Store.GetAggregatesAsync(Room, Now, CancellationToken.None);
        Assert.Equal(Room, aggregates.Room);

        var all = aggregates.AllTime;
        Assert.Equal((5L, 2L, 2L, 1L, 3L, 2L), (all.Total, all.Happy, all.Neutral, all.Sad, all.Safe, all.Unsafe));
        Assert.Equal(new Dictionary<string, long> { ["violence"] = 2, ["hate"] = 1 }, all.UnsafeByCategory);

        var hour = aggregates.LastHour;
        Assert.Equal((4L, 1L, 2L, 1L, 2L, 2L), (hour.Total, hour.Happy, hour.Neutral, hour.Sad, hour.Safe, hour.Unsafe));
        Assert.Equal(new Dictionary<string, long> { ["violence"] = 2, ["hate"] = 1 }, hour.UnsafeByCategory);

        var quarter = aggregates.Last15Minutes;
        Assert.Equal((3L, 1L, 2L, 0L, 2L, 1L), (quarter.Total, quarter.Happy, quarter.Neutral, quarter.Sad, quarter.Safe, quarter.Unsafe));
        Assert.Equal(new Dictionary<string, long> { ["violence"] = 1, ["hate"] = 1 }, quarter.UnsafeByCategory);
    }

    [Fact]
    public async Task RecentCountsCoverTheWindowTrendAlertsRead()
    {
        await Store.SaveVerdictAsync(Verdict(1, "sad", true, Now.AddMinutes(-40), "violence"), CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(2, "neutral", true, Now.AddMinutes(-5), "violence", "hate"), CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(3, "sad", false, Now.AddMinutes(-1)), CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(4, "happy", false, Now), CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(1, "happy", false, Now) with { Room = Room + "-b" }, CancellationToken.None);

        var window = await Store.GetRecentCountsAsync(Room, Now, TrendPolicy.Window, CancellationToken.None);
        Assert.Equal((3L, 1L, 1L, 1L, 2L, 1L), (window.Total, window.Happy, window.Neutral, window.Sad, window.Safe, window.Unsafe));
        Assert.Equal(new Dictionary<string, long> { ["violence"] = 1, ["hate"] = 1 }, window.UnsafeByCategory);
        var quarter = (await Store.GetAggregatesAsync(Room, Now, CancellationToken.None)).Last15Minutes;
        Assert.Equal((window.Total, window.Sad, window.Unsafe), (quarter.Total, quarter.Sad, quarter.Unsafe));

        var hour = await Store.GetRecentCountsAsync(Room, Now, TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Equal((4L, 2L), (hour.Total, hour.Sad));
        Assert.Equal(0, (await Store.GetRecentCountsAsync(Room + "-none", Now, TrendPolicy.Window, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task AnUnknownRoomHasEmptyAggregates()
    {
        var aggregates = await Store.GetAggregatesAsync(Room, Now, CancellationToken.None);
        Assert.All(new[] { aggregates.AllTime, aggregates.LastHour, aggregates.Last15Minutes }, c =>
        {
            Assert.Equal(0, c.Total);
            Assert.Empty(c.UnsafeByCategory);
        });
    }

    [Fact]
    public async Task TheMinuteSeriesCountsEveryRoomPerMinute()
    {
        // The series spans rooms: this test owns the minutes it writes, far from any other test's "now".
        var minute = DateTimeOffset.FromUnixTimeMilliseconds(Now.ToUnixTimeMilliseconds() / 60_000 * 60_000)
            .AddMinutes(-600 - Random.Shared.Next(0, 600));
        var other = new VerdictRecord(Room + "-b", 1, "x", "sad", -1, "unsafe", 1, ["spam"], "embedded", 1, minute.AddSeconds(50));
        await Store.SaveVerdictAsync(Verdict(1, "happy", false, minute.AddSeconds(1)), CancellationToken.None);
        await Store.SaveVerdictAsync(other, CancellationToken.None);
        await Store.SaveVerdictAsync(other, CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(2, "neutral", true, minute.AddMinutes(2).AddSeconds(10), "hate"), CancellationToken.None);

        var series = (await Store.GetMinuteSeriesAsync(minute, CancellationToken.None))
            .Where(p => p.Minute >= minute && p.Minute <= minute.AddMinutes(2)).ToList();
        Assert.Equal(
            [new MinuteCounts(minute, 2, 1, 0, 1, 1), new MinuteCounts(minute.AddMinutes(2), 1, 0, 1, 0, 1)],
            series);

        Assert.DoesNotContain(await Store.GetMinuteSeriesAsync(minute.AddMinutes(1), CancellationToken.None), p => p.Minute == minute);
    }

    [Fact]
    public async Task TokensAddUpPerMinuteBesideTheVerdicts()
    {
        var minute = DateTimeOffset.FromUnixTimeMilliseconds(Now.ToUnixTimeMilliseconds() / 60_000 * 60_000)
            .AddMinutes(-600 - Random.Shared.Next(0, 600));
        await Store.RecordTokensAsync(minute, 100, CancellationToken.None);
        await Store.RecordTokensAsync(minute, 50, CancellationToken.None);
        await Store.SaveVerdictAsync(Verdict(7, "sad", false, minute.AddMinutes(1).AddSeconds(5)), CancellationToken.None);

        var series = (await Store.GetMinuteSeriesAsync(minute, CancellationToken.None))
            .Where(p => p.Minute >= minute && p.Minute <= minute.AddMinutes(1)).ToList();
        Assert.Equal(
            [new MinuteCounts(minute, 0, 0, 0, 0, 0, 150), new MinuteCounts(minute.AddMinutes(1), 1, 0, 0, 1, 0)],
            series);
    }

    private FlagRecord NewFlag(long messageId, string? room = null) => new(
        0, room ?? Room, messageId, "author-" + messageId, "Author " + messageId, "text of " + messageId, "unsafe share high",
        ["harassment", "spam"], 0.875, FlagStates.Open, Now, null, null);

    [Fact]
    public async Task AMessageIsFlaggedOnce()
    {
        var first = await Store.FlagAsync(NewFlag(7), CancellationToken.None);
        Assert.True(first.Id > 0);
        Assert.Equal(NewFlag(7) with { Id = first.Id, Categories = first.Categories }, first);
        Assert.Equal(["harassment", "spam"], first.Categories);

        var again = await Store.FlagAsync(NewFlag(7) with { Reason = "another reason" }, CancellationToken.None);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("unsafe share high", again.Reason);

        var read = await Store.GetFlagAsync(first.Id, CancellationToken.None);
        Assert.Equal(first with { Categories = read!.Categories }, read);
        Assert.Null(await Store.GetFlagAsync(long.MaxValue - 1, CancellationToken.None));
    }

    [Fact]
    public async Task FlagsListNewestFirstAndFilterByRoomAndState()
    {
        var otherRoom = Room + "-other";
        var a = await Store.FlagAsync(NewFlag(1), CancellationToken.None);
        var b = await Store.FlagAsync(NewFlag(2), CancellationToken.None);
        var c = await Store.FlagAsync(NewFlag(1, otherRoom), CancellationToken.None);
        var d = await Store.FlagAsync(NewFlag(3), CancellationToken.None);
        Assert.True(a.Id < b.Id && b.Id < c.Id && c.Id < d.Id);
        Assert.True(await Store.ResolveFlagAsync(b.Id, FlagStates.Hidden, "admin", "hid it", CancellationToken.None));

        Assert.Equal([d.Id, b.Id, a.Id], (await Store.ListFlagsAsync(Room, null, 10, CancellationToken.None)).Select(f => f.Id));
        Assert.Equal([d.Id, a.Id], (await Store.ListFlagsAsync(Room, FlagStates.Open, 10, CancellationToken.None)).Select(f => f.Id));
        Assert.Equal([d.Id], (await Store.ListFlagsAsync(Room, FlagStates.Open, 1, CancellationToken.None)).Select(f => f.Id));
        Assert.Equal([c.Id], (await Store.ListFlagsAsync(otherRoom, null, 10, CancellationToken.None)).Select(f => f.Id));

        var hidden = Assert.Single(await Store.ListFlagsAsync(Room, FlagStates.Hidden, 10, CancellationToken.None));
        Assert.Equal((FlagStates.Hidden, "admin", "hid it"), (hidden.State, hidden.ResolvedBy, hidden.Resolution));

        var everywhere = await Store.ListFlagsAsync(null, null, 1000, CancellationToken.None);
        var mine = everywhere.Where(f => f.Room == Room || f.Room == otherRoom).Select(f => f.Id).ToList();
        Assert.Equal([d.Id, c.Id, b.Id, a.Id], mine);
        Assert.Equal(everywhere.OrderByDescending(f => f.Id).Select(f => f.Id), everywhere.Select(f => f.Id));
    }

    [Fact]
    public async Task OnlyAnOpenFlagCanBeResolved()
    {
        var flag = await Store.FlagAsync(NewFlag(9), CancellationToken.None);
        Assert.True(await Store.ResolveFlagAsync(flag.Id, FlagStates.Approved, "admin", "fine", CancellationToken.None));
        Assert.False(await Store.ResolveFlagAsync(flag.Id, FlagStates.Banned, "other", "too late", CancellationToken.None));
        Assert.False(await Store.ResolveFlagAsync(long.MaxValue - 1, FlagStates.Approved, "admin", "unknown", CancellationToken.None));

        var read = await Store.GetFlagAsync(flag.Id, CancellationToken.None);
        Assert.Equal((FlagStates.Approved, "admin", "fine"), (read!.State, read.ResolvedBy, read.Resolution));
    }

    [Fact]
    public async Task AFlagIsFoundByItsMessage()
    {
        var flag = await Store.FlagAsync(NewFlag(11), CancellationToken.None);

        Assert.Equal(flag.Id, (await Store.GetFlagAsync(Room, 11, CancellationToken.None))!.Id);
        Assert.Null(await Store.GetFlagAsync(Room, 12, CancellationToken.None));
        Assert.Null(await Store.GetFlagAsync(Room + "-other", 11, CancellationToken.None));
    }

    [Fact]
    public async Task AnAppealReopensTheFlagOnce_KeepsItsAdvice_AndAModeratorClosesIt()
    {
        var flag = await Store.FlagAsync(NewFlag(21), CancellationToken.None);
        Assert.True(await Store.ResolveFlagAsync(flag.Id, FlagStates.Hidden, "admin", "abuse", CancellationToken.None));
        Assert.Null((await Store.GetFlagAsync(flag.Id, CancellationToken.None))!.Appeal);
        Assert.False(await Store.AdviseAppealAsync(flag.Id, new AppealAdvice(AppealAdvice.Restore, null, "no appeal yet", "m", Now), CancellationToken.None));

        var appeal = new FlagAppeal("I was quoting the person who said it — «vraiment».", Now.AddMinutes(1));
        Assert.True(await Store.AppealFlagAsync(flag.Id, appeal, CancellationToken.None));
        Assert.False(await Store.AppealFlagAsync(flag.Id, appeal with { Reason = "again" }, CancellationToken.None));
        Assert.False(await Store.AppealFlagAsync(long.MaxValue - 1, appeal, CancellationToken.None));

        var appealed = await Store.GetFlagAsync(Room, 21, CancellationToken.None);
        Assert.Equal((FlagStates.Appealed, appeal), (appealed!.State, appealed.Appeal));
        Assert.Equal([flag.Id], (await Store.ListFlagsAsync(Room, FlagStates.Appealed, 10, CancellationToken.None)).Select(f => f.Id));

        var advice = new AppealAdvice(AppealAdvice.Restore, null, "A quote, criticised.", "gpt-oss-safeguard:20b", Now.AddMinutes(2));
        Assert.True(await Store.AdviseAppealAsync(flag.Id, advice, CancellationToken.None));
        Assert.False(await Store.AdviseAppealAsync(flag.Id, advice with { Recommendation = AppealAdvice.Uphold }, CancellationToken.None));
        Assert.Equal(appeal with { Advice = advice }, (await Store.GetFlagAsync(flag.Id, CancellationToken.None))!.Appeal);

        Assert.True(await Store.ResolveFlagAsync(flag.Id, FlagStates.Restored, "mod", "a quote", CancellationToken.None));
        Assert.False(await Store.ResolveFlagAsync(flag.Id, FlagStates.Upheld, "mod", "too late", CancellationToken.None));
        var closed = await Store.GetFlagAsync(flag.Id, CancellationToken.None);
        Assert.Equal((FlagStates.Restored, "mod", "a quote", appeal with { Advice = advice }), (closed!.State, closed.ResolvedBy, closed.Resolution, closed.Appeal));
    }

    [Fact]
    public async Task AFlagCanBeStoredAppealedAlready()
    {
        var appeal = new FlagAppeal("A moderator hid it by mistake.", Now);
        var flag = await Store.FlagAsync(NewFlag(31) with { State = FlagStates.Appealed, Appeal = appeal }, CancellationToken.None);

        Assert.Equal((FlagStates.Appealed, appeal), (flag.State, flag.Appeal));
        Assert.False(await Store.AppealFlagAsync(flag.Id, appeal, CancellationToken.None));
    }

    [Fact]
    public async Task MutesLastUntilTheirEndAndKeepTheLaterEnd()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Null(await Store.GetMuteAsync(Room, "u1", now, CancellationToken.None));

        await Store.MuteAsync(Room, "u1", now.AddMinutes(10), CancellationToken.None);
        Assert.Equal(now.AddMinutes(10), await Store.GetMuteAsync(Room, "u1", now, CancellationToken.None));
        Assert.Null(await Store.GetMuteAsync(Room, "u2", now, CancellationToken.None));
        Assert.Null(await Store.GetMuteAsync(Room + "-other", "u1", now, CancellationToken.None));
        Assert.Null(await Store.GetMuteAsync(Room, "u1", now.AddMinutes(11), CancellationToken.None));

        await Store.MuteAsync(Room, "u1", now.AddMinutes(5), CancellationToken.None);
        Assert.Equal(now.AddMinutes(10), await Store.GetMuteAsync(Room, "u1", now, CancellationToken.None));
        await Store.MuteAsync(Room, "u1", now.AddMinutes(20), CancellationToken.None);
        Assert.Equal(now.AddMinutes(20), await Store.GetMuteAsync(Room, "u1", now, CancellationToken.None));
    }

    [Fact]
    public async Task AnEndedMuteIsGone()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await Store.MuteAsync(Room, "short", now.AddMilliseconds(300), CancellationToken.None);
        Assert.NotNull(await Store.GetMuteAsync(Room, "short", now, CancellationToken.None));
        await Task.Delay(600);
        Assert.Null(await Store.GetMuteAsync(Room, "short", DateTimeOffset.UtcNow, CancellationToken.None));
    }

    [Fact]
    public async Task AuditEntriesGetRisingIdsAndPageNewestFirst()
    {
        var marker = Guid.NewGuid().ToString("N");
        var written = new List<AuditEntry>();
        for (var i = 0; i < 5; i++)
        {
            var entry = new AuditEntry(0, Now.AddSeconds(i), "moderation", "hide", i % 2 == 0 ? Room : null, i % 2 == 0 ? i : null,
                i % 2 == 0 ? "user-" + i : null, $"{marker} reason {i}", i == 4 ? "detail" : null);
            var stored = await Store.AuditAsync(entry, CancellationToken.None);
            Assert.Equal(entry with { Id = stored.Id }, stored);
            written.Add(stored);
        }

        Assert.True(written.Zip(written.Skip(1)).All(p => p.First.Id < p.Second.Id));

        var newest = await Store.ListAuditAsync(null, 3, CancellationToken.None);
        Assert.Equal(3, newest.Count);
        Assert.True(newest.Zip(newest.Skip(1)).All(p => p.First.Id > p.Second.Id));

        var page = await Store.ListAuditAsync(written[3].Id, 2, CancellationToken.None);
        Assert.Equal(2, page.Count);
        Assert.All(page, e => Assert.True(e.Id < written[3].Id));
        Assert.Equal(written[2], page.Single(e => e.Id == written[2].Id));

        var mine = (await Store.ListAuditAsync(written[4].Id + 1, 1000, CancellationToken.None))
            .Where(e => e.Reason.StartsWith(marker, StringComparison.Ordinal)).Reverse().ToList();
        Assert.Equal(written, mine);
        Assert.Empty(await Store.ListAuditAsync(1, 10, CancellationToken.None));
    }
}
