using Chatroom.Core.Webhooks;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IWebhookStore"/> must do. Each test gets a fresh, empty store.</summary>
public abstract class WebhookStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    protected IWebhookStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IWebhookStore> CreateStoreAsync();

    [Fact]
    public async Task SubscriptionsAreKept_AndADisabledOneSaysWhy()
    {
        var first = Subscription("wh_1", Now);
        var second = Subscription("wh_2", Now.AddSeconds(1)) with { OwnerUserId = "bot_7" };
        await Store.AddSubscriptionAsync(second, CancellationToken.None);
        await Store.AddSubscriptionAsync(first, CancellationToken.None);

        var listed = await Store.ListSubscriptionsAsync(CancellationToken.None);
        Assert.Equal(["wh_1", "wh_2"], listed.Select(s => s.Id));
        Assert.Equivalent(second, await Store.GetSubscriptionAsync("wh_2", CancellationToken.None));
        Assert.Null(await Store.GetSubscriptionAsync("wh_none", CancellationToken.None));

        Assert.True(await Store.DisableSubscriptionAsync("wh_1", "410 Gone", CancellationToken.None));
        Assert.False(await Store.DisableSubscriptionAsync("wh_none", "410 Gone", CancellationToken.None));
        var disabled = await Store.GetSubscriptionAsync("wh_1", CancellationToken.None);
        Assert.False(disabled!.Enabled);
        Assert.Equal("410 Gone", disabled.DisabledReason);
        Assert.Equal(first.Rooms, disabled.Rooms);
        Assert.False(disabled.Wants("lobby", WebhookEvents.MessageCreated));
    }

    [Fact]
    public async Task DueDeliveriesAreClaimedOnceForTheLease_AndAnEnqueuedIdIsNotAddedTwice()
    {
        var early = Delivery("msg_a", Now);
        var later = Delivery("msg_b", Now.AddSeconds(30));
        await Store.EnqueueAsync([early, later], CancellationToken.None);
        await Store.EnqueueAsync([early with { Payload = "changed" }], CancellationToken.None);

        var claimed = await Store.ClaimDueAsync(Now, TimeSpan.FromSeconds(60), 10, CancellationToken.None);
        Assert.Equal(["msg_a"], claimed.Select(d => d.Id));
        Assert.Equal(early.Payload, claimed[0].Payload);
        Assert.Empty(await Store.ClaimDueAsync(Now.AddSeconds(1), TimeSpan.FromSeconds(60), 10, CancellationToken.None));

        // The lease runs out (the worker died): claimed again, after the later one that fell due meanwhile.
        var again = await Store.ClaimDueAsync(Now.AddSeconds(61), TimeSpan.FromSeconds(60), 10, CancellationToken.None);
        Assert.Equal(["msg_b", "msg_a"], again.Select(d => d.Id));
    }

    [Fact]
    public async Task SavedOutcomesShowInTheLog_AndOnlyPendingDeliveriesAreDue()
    {
        var one = Delivery("msg_1", Now);
        var two = Delivery("msg_2", Now.AddSeconds(1)) with { CreatedAt = Now.AddSeconds(1) };
        var other = Delivery("msg_3", Now) with { SubscriptionId = "wh_other" };
        await Store.EnqueueAsync([one, two, other], CancellationToken.None);

        var delivered = one with { Status = WebhookDeliveryStatus.Delivered, Attempts = 1, LastAttemptAt = Now, LastStatusCode = 204, LastLatencyMs = 12.5 };
        var retrying = two with { Attempts = 1, NextAttemptAt = Now.AddMinutes(5), LastStatusCode = 500, LastError = "500 Internal Server Error" };
        await Store.SaveAsync(delivered, CancellationToken.None);
        await Store.SaveAsync(retrying, CancellationToken.None);

        Assert.Equal(delivered, await Store.GetDeliveryAsync("msg_1", CancellationToken.None));
        Assert.Null(await Store.GetDeliveryAsync("msg_none", CancellationToken.None));
        Assert.Equal([retrying, delivered], await Store.ListDeliveriesAsync("wh_1", 10, CancellationToken.None));
        Assert.Equal([retrying], await Store.ListDeliveriesAsync("wh_1", 1, CancellationToken.None));

        // Claimed for an hour, so each is claimed once below.
        Assert.Equal(["msg_3"], (await Store.ClaimDueAsync(Now.AddMinutes(1), TimeSpan.FromHours(1), 10, CancellationToken.None)).Select(d => d.Id));
        Assert.Equal(["msg_2"], (await Store.ClaimDueAsync(Now.AddMinutes(5), TimeSpan.FromHours(1), 10, CancellationToken.None)).Select(d => d.Id));

        // A redelivery: the delivered one is pending again, due at once, under the same id.
        await Store.SaveAsync(delivered with { Status = WebhookDeliveryStatus.Pending, NextAttemptAt = Now.AddMinutes(10) }, CancellationToken.None);
        Assert.Equal(["msg_1"], (await Store.ClaimDueAsync(Now.AddMinutes(10), TimeSpan.FromHours(1), 10, CancellationToken.None)).Select(d => d.Id));
    }

    [Fact]
    public async Task OldFinishedDeliveriesArePruned_AndPendingOnesStayWhateverTheirAge()
    {
        var old = Now.AddDays(-8);
        var delivered = Delivery("msg_old_ok", old) with { CreatedAt = old, Status = WebhookDeliveryStatus.Delivered, Attempts = 1 };
        var dead = Delivery("msg_old_dead", old) with { CreatedAt = old.AddSeconds(1), Status = WebhookDeliveryStatus.Dead, Attempts = 8 };
        var stillTrying = Delivery("msg_old_pending", old) with { CreatedAt = old, Attempts = 7, NextAttemptAt = Now.AddHours(1) };
        var recent = Delivery("msg_new_ok", Now) with { Status = WebhookDeliveryStatus.Delivered, Attempts = 1 };
        var otherLog = Delivery("msg_other_old", old) with { SubscriptionId = "wh_2", CreatedAt = old, Status = WebhookDeliveryStatus.Delivered };
        await Store.AddSubscriptionAsync(Subscription("wh_1", old), CancellationToken.None);
        await Store.AddSubscriptionAsync(Subscription("wh_2", old), CancellationToken.None);
        foreach (var delivery in new[] { delivered, dead, stillTrying, recent, otherLog })
        {
            await Store.SaveAsync(delivery, CancellationToken.None);
        }

        var cutoff = Now.AddDays(-7);
        Assert.Equal(1, await Store.PruneDeliveriesAsync(cutoff, 1, CancellationToken.None));
        Assert.Equal(2, await Store.PruneDeliveriesAsync(cutoff, 100, CancellationToken.None));
        Assert.Equal(0, await Store.PruneDeliveriesAsync(cutoff, 100, CancellationToken.None));

        Assert.Equal(["msg_new_ok", "msg_old_pending"], (await Store.ListDeliveriesAsync("wh_1", 10, CancellationToken.None)).Select(d => d.Id));
        Assert.Empty(await Store.ListDeliveriesAsync("wh_2", 10, CancellationToken.None));
        Assert.Null(await Store.GetDeliveryAsync("msg_old_dead", CancellationToken.None));
        Assert.Equal(["msg_old_pending"], (await Store.ClaimDueAsync(Now.AddHours(1), TimeSpan.FromMinutes(1), 10, CancellationToken.None)).Select(d => d.Id));
    }

    [Fact]
    public async Task ARotatedSecretReplacesTheOld_AndADeletedSubscriptionTakesItsLogAlong()
    {
        await Store.AddSubscriptionAsync(Subscription("wh_1", Now), CancellationToken.None);
        await Store.AddSubscriptionAsync(Subscription("wh_2", Now.AddSeconds(1)), CancellationToken.None);
        await Store.EnqueueAsync([Delivery("msg_1", Now), Delivery("msg_2", Now) with { SubscriptionId = "wh_2" }], CancellationToken.None);

        Assert.True(await Store.SetSecretAsync("wh_1", "whsec_bmV3IHNlY3JldA==", CancellationToken.None));
        Assert.False(await Store.SetSecretAsync("wh_none", "whsec_bmV3IHNlY3JldA==", CancellationToken.None));
        var rotated = await Store.GetSubscriptionAsync("wh_1", CancellationToken.None);
        Assert.Equal("whsec_bmV3IHNlY3JldA==", rotated!.Secret);
        Assert.True(rotated.Enabled);

        Assert.True(await Store.DeleteSubscriptionAsync("wh_1", CancellationToken.None));
        Assert.False(await Store.DeleteSubscriptionAsync("wh_1", CancellationToken.None));
        Assert.Null(await Store.GetSubscriptionAsync("wh_1", CancellationToken.None));
        Assert.Equal(["wh_2"], (await Store.ListSubscriptionsAsync(CancellationToken.None)).Select(s => s.Id));
        Assert.Empty(await Store.ListDeliveriesAsync("wh_1", 10, CancellationToken.None));
        Assert.Null(await Store.GetDeliveryAsync("msg_1", CancellationToken.None));
        Assert.Equal(["msg_2"], (await Store.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 10, CancellationToken.None)).Select(d => d.Id));
    }

    private static WebhookSubscription Subscription(string id, DateTimeOffset at) =>
        new(id, "https://hooks.example.com/chat", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ["lobby", "dev"],
            [WebhookEvents.MessageCreated, WebhookEvents.FlagRaised], null, at);

    private static WebhookDelivery Delivery(string id, DateTimeOffset due) =>
        new(id, "wh_1", WebhookEvents.MessageCreated, $$"""{"type":"message.created","id":"{{id}}"}""", Now, WebhookDeliveryStatus.Pending, 0, due);
}
