using Chatroom.Core.GuardianCases;

namespace Chatroom.Testing.Contracts;

/// <summary>
/// What every <see cref="IGuardianCaseStore"/>, <see cref="IContactRestrictionStore"/> and <see cref="IGuardianSettingsStore"/>
/// must do. Each test gets fresh, empty stores.
/// </summary>
public abstract class GuardianCaseStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    protected IGuardianCaseStore Cases { get; private set; } = null!;

    protected IContactRestrictionStore Restrictions { get; private set; } = null!;

    protected IGuardianSettingsStore Settings { get; private set; } = null!;

    public async Task InitializeAsync() => (Cases, Restrictions, Settings) = await CreateStoresAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<(IGuardianCaseStore Cases, IContactRestrictionStore Restrictions, IGuardianSettingsStore Settings)> CreateStoresAsync();

    private static GuardianCase Draft(string window, string subject = "adult-1", string room = "dm-1") => new(
        0, GuardianCaseKinds.Conversation, room, subject, ["minor-1"], 0.91,
        [new GuardianCaseSignal("secrecy", 0.8, ["don't tell your parents"]), new GuardianCaseSignal("age_gap", 0.6, [])],
        ["adult-1: don't tell your parents", "minor-1: ok"], "An adult asked a 12-year-old to keep their chats secret.", window,
        GuardianCaseStates.Open, Now);

    [Fact]
    public async Task ACaseOpensOncePerWindow_WithEverythingItWasOpenedWith()
    {
        var (opened, isNew) = await Cases.OpenAsync(Draft("dm-1:40"), CancellationToken.None);
        Assert.True(isNew);
        Assert.True(opened.Id > 0);
        Assert.Equal((GuardianCaseKinds.Conversation, "dm-1", "adult-1", 0.91, GuardianCaseStates.Open, Now, "dm-1:40"),
            (opened.Kind, opened.Room, opened.SubjectUserId, opened.Score, opened.State, opened.OpenedAt, opened.WindowKey));
        Assert.Equal(["minor-1"], opened.MinorUserIds);
        Assert.Equal(["secrecy", "age_gap"], opened.Signals.Select(s => s.Name));
        Assert.Equal(["don't tell your parents"], opened.Signals[0].Evidence);
        Assert.Empty(opened.Signals[1].Evidence);

        var (again, isNewAgain) = await Cases.OpenAsync(Draft("dm-1:40") with { Score = 0.99 }, CancellationToken.None);
        Assert.False(isNewAgain);
        Assert.Equal(opened.Id, again.Id);
        Assert.Equal(0.91, again.Score);

        var (other, _) = await Cases.OpenAsync(Draft("dm-1:80"), CancellationToken.None);
        Assert.NotEqual(opened.Id, other.Id);
        var stored = await Cases.GetAsync(opened.Id, CancellationToken.None);
        Assert.Equal(opened.EvidenceLines, stored!.EvidenceLines);
        Assert.Equal(opened.Summary, stored.Summary);
        Assert.Null(await Cases.GetAsync(other.Id + 100, CancellationToken.None));
    }

    [Fact]
    public async Task TheQueueListsNewestFirst_FilteredByStateAndSubject()
    {
        var first = (await Cases.OpenAsync(Draft("w1", "adult-1"), CancellationToken.None)).Case;
        var second = (await Cases.OpenAsync(Draft("w2", "adult-2"), CancellationToken.None)).Case;
        var third = (await Cases.OpenAsync(Draft("w3", "adult-1"), CancellationToken.None)).Case;
        Assert.True(await Cases.ResolveAsync(second.Id, GuardianCaseStates.Dismissed, "mod", "ordinary chat", Now.AddHours(1), CancellationToken.None));

        Assert.Equal([third.Id, second.Id, first.Id], (await Cases.ListAsync(null, null, 10, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal([third.Id, first.Id], (await Cases.ListAsync(GuardianCaseStates.Open, null, 10, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal([second.Id], (await Cases.ListAsync(GuardianCaseStates.Dismissed, null, 10, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal([third.Id, first.Id], (await Cases.ListAsync(null, "adult-1", 10, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal([third.Id], (await Cases.ListAsync(null, null, 1, CancellationToken.None)).Select(c => c.Id));
    }

    [Fact]
    public async Task TheFirstReviewIsRecordedOnce_AndAResolvedCaseStaysResolved()
    {
        var opened = (await Cases.OpenAsync(Draft("w1"), CancellationToken.None)).Case;

        var reviewed = await Cases.MarkReviewedAsync(opened.Id, "mod-a", Now.AddMinutes(10), CancellationToken.None);
        Assert.Equal(Now.AddMinutes(10), reviewed!.FirstReviewedAt);
        Assert.Equal("mod-a", reviewed.AssignedTo);
        var later = await Cases.MarkReviewedAsync(opened.Id, "mod-b", Now.AddMinutes(20), CancellationToken.None);
        Assert.Equal(Now.AddMinutes(10), later!.FirstReviewedAt);
        Assert.Equal("mod-a", later.AssignedTo);
        Assert.Null(await Cases.MarkReviewedAsync(opened.Id + 50, "mod-a", Now, CancellationToken.None));

        Assert.True(await Cases.ResolveAsync(opened.Id, GuardianCaseStates.Restricted, "mod-b", "asked for secrecy and a meeting", Now.AddMinutes(30), CancellationToken.None));
        Assert.False(await Cases.ResolveAsync(opened.Id, GuardianCaseStates.Dismissed, "mod-c", "changed my mind", Now.AddMinutes(40), CancellationToken.None));
        Assert.False(await Cases.ResolveAsync(opened.Id + 50, GuardianCaseStates.Dismissed, "mod-c", "unknown", Now, CancellationToken.None));

        var resolved = await Cases.GetAsync(opened.Id, CancellationToken.None);
        Assert.Equal(GuardianCaseStates.Restricted, resolved!.State);
        Assert.Equal("mod-b", resolved.ResolvedBy);
        Assert.Equal("asked for secrecy and a meeting", resolved.Resolution);
        Assert.Equal(Now.AddMinutes(30), resolved.ResolvedAt);
        Assert.Equal(Now.AddMinutes(10), resolved.FirstReviewedAt);
    }

    [Fact]
    public async Task AContactRestrictionIsStoredReplacedAndLifted()
    {
        Assert.Null(await Restrictions.GetAsync("adult-1", CancellationToken.None));

        var restriction = new ContactRestriction("adult-1", "guardian case 4", "mod", Now, 4);
        await Restrictions.RestrictAsync(restriction, CancellationToken.None);
        Assert.Equal(restriction, await Restrictions.GetAsync("adult-1", CancellationToken.None));

        var replaced = restriction with { Reason = "second case", CaseId = null, At = Now.AddDays(1) };
        await Restrictions.RestrictAsync(replaced, CancellationToken.None);
        Assert.Equal(replaced, await Restrictions.GetAsync("adult-1", CancellationToken.None));
        Assert.Null(await Restrictions.GetAsync("adult-2", CancellationToken.None));

        Assert.True(await Restrictions.LiftAsync("adult-1", CancellationToken.None));
        Assert.False(await Restrictions.LiftAsync("adult-1", CancellationToken.None));
        Assert.Null(await Restrictions.GetAsync("adult-1", CancellationToken.None));
    }

    [Fact]
    public async Task GuardianSettingsAreAbsentUntilSaved_ThenReplacedAndReset()
    {
        Assert.Null(await Settings.GetAsync(CancellationToken.None));

        var saved = new GuardianSettings(0.8, 40, TimeSpan.FromHours(36), 4, TimeSpan.FromHours(12), "admin-1", Now);
        await Settings.SaveAsync(saved, CancellationToken.None);
        Assert.Equal(saved, await Settings.GetAsync(CancellationToken.None));

        var replaced = saved with { Threshold = null, WindowMessages = 20, UpdatedBy = "admin-2", UpdatedAt = Now.AddHours(1) };
        await Settings.SaveAsync(replaced, CancellationToken.None);
        Assert.Equal(replaced, await Settings.GetAsync(CancellationToken.None));

        Assert.True(await Settings.ResetAsync(CancellationToken.None));
        Assert.False(await Settings.ResetAsync(CancellationToken.None));
        Assert.Null(await Settings.GetAsync(CancellationToken.None));
    }
}
