using Chatroom.Testing.Hosting;
using Chatroom.Testing.SignalR;

namespace Chatroom.EndToEnd.Tests;

/// <summary>Room rules admins set: slow mode, lock, ban; and limits that hold per person, not per connection.</summary>
public sealed class RoomRulesTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Chat:UserMessagesPerSecond"] = "1",
            ["Chatroom:Chat:UserBurst"] = "5",
        });
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await _host.Api.CreateRoomAsync(_admin, "rules");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task SlowModeHoldsPerPersonAcrossTheirConnections()
    {
        using var settings = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/rules/settings", _admin, new { slowModeSeconds = 30 });
        Assert.Equal(204, (int)settings.StatusCode);
        var token = await _host.Api.GuestTokenAsync("ana");
        await using var tab1 = await _host.Api.ConnectWithTokenAsync(token);
        await using var tab2 = await _host.Api.ConnectWithTokenAsync(token);
        var joined = await tab1.InvokeAsync("JoinRoom", "rules", null);
        Assert.Equal(30, joined.GetProperty("slowModeSeconds").GetInt32());
        await tab2.InvokeAsync("JoinRoom", "rules", null);

        await tab1.InvokeAsync("SendMessage", "rules", "first", "s-1");
        var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => tab2.InvokeAsync("SendMessage", "rules", "second", "s-2"));
        Assert.Equal("slow_mode", refusal.Code);
        Assert.Matches("wait [0-9]+ s", refusal.Refusal);

        await using var admin = await _host.Api.ConnectWithTokenAsync(_admin);
        await admin.InvokeAsync("JoinRoom", "rules", null);
        await admin.InvokeAsync("SendMessage", "rules", "admins are not slowed", "a-1");
        await admin.InvokeAsync("SendMessage", "rules", "twice", "a-2");
    }

    [Fact]
    public async Task ARateLimitPerPersonHoldsAcrossTheirConnections()
    {
        var token = await _host.Api.GuestTokenAsync("bo");
        var tabs = new List<HubClient>();
        for (var i = 0; i < 3; i++)
        {
            var tab = await _host.Api.ConnectWithTokenAsync(token);
            await tab.InvokeAsync("JoinRoom", "rules", null);
            tabs.Add(tab);
        }

        var refused = 0;
        for (var i = 0; i < 9; i++)
        {
            try
            {
                await tabs[i % 3].InvokeAsync("SendMessage", "rules", $"burst {i}", $"u-{i}");
            }
            catch (HubInvocationException e) when (e.Code == "rate_limited")
            {
                refused++;
            }
        }

        // Each connection alone allows 20 at once; the person's budget of 5 (refilling at 1/s) is what refuses.
        Assert.InRange(refused, 3, 4);
        foreach (var tab in tabs)
        {
            await tab.DisposeAsync();
        }
    }

    [Fact]
    public async Task OnlyAdminsPostInALockedRoom()
    {
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "rules", null);
        using var locked = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/rules/settings", _admin, new { locked = true });
        Assert.Equal(204, (int)locked.StatusCode);

        var updated = await ana.WaitForEventAsync("roomUpdated");
        Assert.True(updated.GetProperty("locked").GetBoolean());
        var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => ana.InvokeAsync("SendMessage", "rules", "hello?", "l-1"));
        Assert.Equal("room_locked", refusal.Code);
        await using var admin = await _host.Api.ConnectWithTokenAsync(_admin);
        await admin.InvokeAsync("JoinRoom", "rules", null);
        await admin.InvokeAsync("SendMessage", "rules", "the room is locked for maintenance", "l-2");

        using var unlocked = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/rules/settings", _admin, new { locked = false });
        await ana.InvokeAsync("SendMessage", "rules", "back again", "l-3");
    }

    [Fact]
    public async Task ABannedUserCanNeitherPostNorJoin()
    {
        var token = await _host.Api.GuestTokenAsync("mallory");
        await using var mallory = await _host.Api.ConnectWithTokenAsync(token);
        await mallory.InvokeAsync("JoinRoom", "rules", null);
        var id = (await mallory.InvokeAsync("SendMessage", "rules", "you are a worthless idiot, go kill yourself", "b-1")).GetProperty("id").GetInt64();
        var flagId = await WaitForFlagAsync(id);

        using var banned = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flagId}/resolve", _admin, new { action = "ban", reason = "threats" });
        banned.EnsureSuccessStatusCode();

        var post = await Assert.ThrowsAsync<HubInvocationException>(() => mallory.InvokeAsync("SendMessage", "rules", "let me back", "b-2"));
        Assert.Equal("banned", post.Code);
        await using var again = await _host.Api.ConnectWithTokenAsync(token);
        var join = await Assert.ThrowsAsync<HubInvocationException>(() => again.InvokeAsync("JoinRoom", "rules", null));
        Assert.Equal("banned", join.Code);
        await again.InvokeAsync("JoinRoom", "lobby", null);
    }

    [Fact]
    public async Task ARuleChangeAppliesToTheVeryNextSend()
    {
        // The embedded stores keep room, ban and mute state in memory (RoomStateCache): every send below follows one
        // that loaded that state, and must see the change made in between.
        await _host.Api.CreateRoomAsync(_admin, "next-send");
        await using var eve = await _host.Api.ConnectAsync("eve");
        await eve.InvokeAsync("JoinRoom", "next-send", null);
        await eve.InvokeAsync("SendMessage", "next-send", "good morning", "n-1");

        using (var slow = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/next-send/settings", _admin, new { slowModeSeconds = 60 }))
        {
            Assert.Equal(204, (int)slow.StatusCode);
        }

        Assert.Equal("slow_mode", (await Assert.ThrowsAsync<HubInvocationException>(() => eve.InvokeAsync("SendMessage", "next-send", "again", "n-2"))).Code);
        using (var off = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/next-send/settings", _admin, new { slowModeSeconds = 0 }))
        {
            Assert.Equal(204, (int)off.StatusCode);
        }

        var unsafeId = (await eve.InvokeAsync("SendMessage", "next-send", "you are a worthless idiot, go kill yourself", "n-3")).GetProperty("id").GetInt64();
        var flagId = await WaitForFlagAsync(unsafeId, "next-send");
        await eve.InvokeAsync("SendMessage", "next-send", "sorry", "n-4");
        using (var mute = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flagId}/resolve", _admin, new { action = "mute", reason = "threats", muteSeconds = 600 }))
        {
            mute.EnsureSuccessStatusCode();
        }

        Assert.Equal("muted", (await Assert.ThrowsAsync<HubInvocationException>(() => eve.InvokeAsync("SendMessage", "next-send", "let me speak", "n-5"))).Code);

        // Another member keeps posting, so the room's state is read again between the ban and eve's next send.
        await using var joe = await _host.Api.ConnectAsync("joe");
        await joe.InvokeAsync("JoinRoom", "next-send", null);
        var joeUnsafe = (await joe.InvokeAsync("SendMessage", "next-send", "you worthless idiot, go kill yourself", "j-1")).GetProperty("id").GetInt64();
        var joeFlag = await WaitForFlagAsync(joeUnsafe, "next-send");
        await joe.InvokeAsync("SendMessage", "next-send", "anyway", "j-2");
        using (var ban = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{joeFlag}/resolve", _admin, new { action = "ban", reason = "threats" }))
        {
            ban.EnsureSuccessStatusCode();
        }

        Assert.Equal("banned", (await Assert.ThrowsAsync<HubInvocationException>(() => joe.InvokeAsync("SendMessage", "next-send", "still here", "j-3"))).Code);
    }

    private async Task<long> WaitForFlagAsync(long messageId, string room = "rules")
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var flags = await _host.Api.SendAsync(HttpMethod.Get, $"/api/admin/flags?room={room}&state=all", _admin);
            var list = System.Text.Json.Nodes.JsonNode.Parse(await flags.Content.ReadAsStringAsync())!.AsArray();
            if (list.FirstOrDefault(f => f!["messageId"]!.GetValue<long>() == messageId) is { } flag)
            {
                return flag["id"]!.GetValue<long>();
            }

            Assert.True(DateTime.UtcNow < deadline, "the message was not flagged");
            await Task.Delay(50);
        }
    }
}
