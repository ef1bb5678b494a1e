using Chatroom.Core.Contacts;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IParticipantStore"/> must do. Each test gets a fresh, empty store.</summary>
public abstract class ParticipantStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    protected IParticipantStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IParticipantStore> CreateStoreAsync();

    [Fact]
    public async Task AProfileIsStoredReplacedAndRemoved()
    {
        Assert.Null(await Store.GetAsync("u1", CancellationToken.None));

        var minor = new ParticipantProfile("u1", new DateOnly(2013, 2, 28), GuardianStates.Pending, null, DirectMessagePolicies.Contacts, Now);
        await Store.SetAsync(minor, CancellationToken.None);
        Assert.Equal(minor, await Store.GetAsync("u1", CancellationToken.None));

        var approved = minor with { GuardianState = GuardianStates.Approved, GuardianUserId = "g1", UpdatedAt = Now.AddMinutes(5) };
        await Store.SetAsync(approved, CancellationToken.None);
        Assert.Equal(approved, await Store.GetAsync("u1", CancellationToken.None));

        Assert.True(await Store.RemoveAsync("u1", CancellationToken.None));
        Assert.False(await Store.RemoveAsync("u1", CancellationToken.None));
        Assert.Null(await Store.GetAsync("u1", CancellationToken.None));
    }

    [Fact]
    public async Task ManyProfilesComeBackInOneCallAndUnknownPeopleAreLeftOut()
    {
        var adult = new ParticipantProfile("adult", null, GuardianStates.None, null, DirectMessagePolicies.Everyone, Now);
        var minor = new ParticipantProfile("minor", new DateOnly(2012, 6, 1), GuardianStates.Approved, "adult", DirectMessagePolicies.Off, Now);
        await Store.SetAsync(adult, CancellationToken.None);
        await Store.SetAsync(minor, CancellationToken.None);

        var found = await Store.GetManyAsync(["minor", "guest-1", "adult"], CancellationToken.None);
        Assert.Equal(2, found.Count);
        Assert.Equal(adult, found["adult"]);
        Assert.Equal(minor, found["minor"]);
        Assert.Empty(await Store.GetManyAsync([], CancellationToken.None));
    }

    [Theory]
    [InlineData("2008-12-07", "2026-12-07", 18, false)]
    [InlineData("2008-12-08", "2026-12-07", 17, true)]
    [InlineData("2012-02-29", "2026-02-27", 13, true)]
    [InlineData("2012-02-29", "2026-02-28", 14, true)]
    public void AgeCountsFullYears(string born, string today, int age, bool minor)
    {
        var profile = new ParticipantProfile("u", DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture),
            GuardianStates.None, null, DirectMessagePolicies.Everyone, Now);
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(age, profile.AgeOn(day));
        Assert.Equal(minor, profile.IsMinorOn(day));
    }
}
