using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Core.Contacts;
using Chatroom.Core.GuardianCases;
using Chatroom.EndToEnd.Tests.Integrations;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// Private conversations on the standalone host, as people use them: direct conversations behind message requests,
/// private rooms by invitation, blocks, reports, a minor's safety rules, and privacy from everyone else on every read path.
/// </summary>
public sealed class ConversationTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["Chatroom:Accounts:RequireConfirmedEmail"] = "false",
        ["Chatroom:Conversations:NewConversationsPerHour"] = "3",
        ["Chatroom:Conversations:MaxPendingMessages"] = "2",
        ["Chatroom:Conversations:ReportsPerHour"] = "1",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AFirstMessageWaitsAsARequest_AndOnceAcceptedTheTwoTalk()
    {
        var (ana, bo) = (await PersonAsync("ana"), await PersonAsync("bo"));
        await using var anaHub = await _host.Api.ConnectWithTokenAsync(ana.Token);
        await using var boHub = await _host.Api.ConnectWithTokenAsync(bo.Token);

        var room = await anaHub.InvokeAsync<string>("OpenDirect", bo.Id);
        Assert.StartsWith("dm-", room);
        await anaHub.InvokeAsync("JoinRoom", room, null);
        await anaHub.InvokeAsync("SendMessage", room, "hi bo, it's ana from the chess club", "a-1");

        var request = await boHub.WaitForEventAsync("conversationRequest");
        Assert.Equal(room, request.GetProperty("room").GetString());
        Assert.Equal(ana.Id, request.GetProperty("from").GetProperty("id").GetString());
        Assert.Equal("hi bo, it's ana from the chess club", request.GetProperty("preview").GetString());
        Assert.Equal("pending", Assert.Single(await ConversationsAsync(bo.Token))!["role"]!.GetValue<string>());

        // Until bo accepts, the room is not theirs to read.
        Assert.Equal("unknown_room", (await RefusedAsync(boHub, "JoinRoom", room, null)).Code);

        await boHub.InvokeAsync("AcceptRequest", room);
        Assert.Equal(room, await boHub.InvokeAsync<string>("OpenDirect", ana.Id));
        var joined = await boHub.InvokeAsync("JoinRoom", room, null);
        Assert.Equal("hi bo, it's ana from the chess club", joined.GetProperty("history")[0].GetProperty("text").GetString());
        await boHub.InvokeAsync("SendMessage", room, "hi ana!", "b-1");
        await anaHub.WaitForEventAsync("message", m => m.GetProperty("text").GetString() == "hi ana!");

        // Joining read everything so far; a new message from the other counts as unread until marked (one's own never does).
        var sent = await anaHub.InvokeAsync("SendMessage", room, "see you thursday", "a-2");
        await boHub.WaitForEventAsync("message", m => m.GetProperty("text").GetString() == "see you thursday");
        var mine = Assert.Single(await ConversationsAsync(bo.Token))!;
        Assert.Equal(("direct", "member", ana.Id, 1L),
            (mine["visibility"]!.GetValue<string>(), mine["role"]!.GetValue<string>(), mine["with"]!.GetValue<string>(), mine["unread"]!.GetValue<long>()));
        await boHub.InvokeAsync("MarkRead", room, sent.GetProperty("id").GetInt64());
        Assert.Equal(0, Assert.Single(await ConversationsAsync(bo.Token))!["unread"]!.GetValue<long>());
    }

    [Fact]
    public async Task ADeclinedRequestRefusesTheSender_AndAWaitingRequestHoldsOnlyAFewMessages()
    {
        var (ana, bo) = (await PersonAsync("ana"), await PersonAsync("bo"));
        await using var anaHub = await _host.Api.ConnectWithTokenAsync(ana.Token);
        await using var boHub = await _host.Api.ConnectWithTokenAsync(bo.Token);
        var room = await anaHub.InvokeAsync<string>("OpenDirect", bo.Id);
        await anaHub.InvokeAsync("JoinRoom", room, null);
        await anaHub.InvokeAsync("SendMessage", room, "hello?", "a-1");
        await anaHub.InvokeAsync("SendMessage", room, "hello??", "a-2");
        Assert.Equal("request_pending", (await RefusedAsync(anaHub, "SendMessage", room, "hello???", "a-3")).Code);
        Assert.Single(boHub.EventsOf("conversationRequest"));

        await boHub.InvokeAsync("DeclineRequest", room);
        Assert.Equal("request_declined", (await RefusedAsync(anaHub, "SendMessage", room, "why not", "a-4")).Code);
        Assert.Equal(room, await anaHub.InvokeAsync<string>("OpenDirect", bo.Id));
        Assert.Equal("request_declined", (await RefusedAsync(anaHub, "SendMessage", room, "please", "a-5")).Code);
        Assert.Equal("no_request", (await RefusedAsync(boHub, "DeclineRequest", "lobby")).Code);
        Assert.Empty(await ConversationsAsync(bo.Token));
    }

    [Fact]
    public async Task FloodsOfNewConversationsAreRefused()
    {
        var ana = await PersonAsync("ana");
        await using var anaHub = await _host.Api.ConnectWithTokenAsync(ana.Token);
        for (var i = 0; i < 3; i++)
        {
            await anaHub.InvokeAsync("OpenDirect", $"someone-{i}");
        }

        Assert.Equal("rate_limited", (await RefusedAsync(anaHub, "OpenDirect", "someone-3")).Code);
        Assert.Equal("invalid_user_id", (await RefusedAsync(anaHub, "OpenDirect", ana.Id)).Code);
        Assert.Equal("invalid_user_id", (await RefusedAsync(anaHub, "OpenDirect", "bad id\n")).Code);

        await using var guest = await _host.Api.ConnectAsync("visitor");
        Assert.Equal("account_required", (await RefusedAsync(guest, "OpenDirect", ana.Id)).Code);
    }

    [Fact]
    public async Task SomeoneBlockedCannotOpenWriteOrInvite_AndIsNotToldWhy()
    {
        var (ana, bo) = (await PersonAsync("ana"), await PersonAsync("bo"));
        await using var anaHub = await _host.Api.ConnectWithTokenAsync(ana.Token);
        await using var boHub = await _host.Api.ConnectWithTokenAsync(bo.Token);
        var room = await anaHub.InvokeAsync<string>("OpenDirect", bo.Id);
        await anaHub.InvokeAsync("JoinRoom", room, null);
        await boHub.InvokeAsync("AcceptRequest", room);

        using (var blocked = await _host.Api.SendAsync(HttpMethod.Post, $"/api/blocks/{ana.Id}", bo.Token))
        {
            Assert.Equal(204, (int)blocked.StatusCode);
        }

        Assert.Equal("recipient_unavailable", (await RefusedAsync(anaHub, "SendMessage", room, "still there?", "a-1")).Code);
        Assert.Equal("recipient_unavailable", (await RefusedAsync(anaHub, "OpenDirect", bo.Id)).Code);
        Assert.Equal("user_blocked", (await RefusedAsync(boHub, "OpenDirect", ana.Id)).Code);
        await CreatePrivateRoomAsync(ana.Token, "ana-club");
        using (var invite = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/ana-club/members/{bo.Id}", ana.Token))
        {
            Assert.Equal((403, "recipient_unavailable"), await ChatApiClient.ProblemAsync(invite));
        }

        var list = await _host.Api.GetJsonAsync("/api/blocks", bo.Token);
        Assert.Equal([ana.Id], list["blocked"]!.AsArray().Select(b => b!.GetValue<string>()));

        using (var lifted = await _host.Api.SendAsync(HttpMethod.Delete, $"/api/blocks/{ana.Id}", bo.Token))
        {
            Assert.Equal(204, (int)lifted.StatusCode);
        }

        await anaHub.InvokeAsync("SendMessage", room, "hello again", "a-2");
    }

    [Fact]
    public async Task APrivateRoomIsItsMembersAlone_OnEveryReadPath()
    {
        var (ana, bo, eve) = (await PersonAsync("ana"), await PersonAsync("bo"), await PersonAsync("eve"));
        await CreatePrivateRoomAsync(ana.Token, "plans");
        await using var anaHub = await _host.Api.ConnectWithTokenAsync(ana.Token);
        await anaHub.InvokeAsync("JoinRoom", "plans", null);
        await anaHub.InvokeAsync("SendMessage", "plans", "the surprise party is on friday", "a-1");

        await using var eveHub = await _host.Api.ConnectWithTokenAsync(eve.Token);
        Assert.Equal("unknown_room", (await RefusedAsync(eveHub, "JoinRoom", "plans", null)).Code);
        Assert.Equal("not_member", (await RefusedAsync(eveHub, "SendMessage", "plans", "let me in", "e-1")).Code);
        using (var history = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms/plans/messages", eve.Token))
        {
            Assert.Equal((404, "unknown_room"), await ChatApiClient.ProblemAsync(history));
        }

        using (var posted = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms/plans/messages", eve.Token, new { text = "hi" }))
        {
            Assert.Equal(404, (int)posted.StatusCode);
        }

        var eveRooms = await RoomNamesAsync(eve.Token);
        Assert.DoesNotContain("plans", eveRooms);
        Assert.Contains("plans", await RoomNamesAsync(ana.Token));
        var admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        Assert.Contains("plans", await RoomNamesAsync(admin));
        using (var adminHistory = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms/plans/messages", admin))
        {
            Assert.Equal(404, (int)adminHistory.StatusCode);
        }

        await using (var mcp = await McpConnections.ConnectAsync(_host.Address, eve.Token))
        {
            Assert.StartsWith("unknown_room", (await mcp.CallAsync("read_history", new { room = "plans" })).Refusal());
            Assert.StartsWith("unknown_room", (await mcp.CallAsync("fetch", new { id = "plans/1" })).Refusal());
            var found = (await mcp.CallAsync("search", new { query = "surprise party" })).Structured();
            Assert.Empty(found.GetProperty("results").EnumerateArray());
        }

        // Only the owner invites; the invitee sees the room once they accept; a removed member loses it at once.
        await using var boHub = await _host.Api.ConnectWithTokenAsync(bo.Token);
        using (var invite = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/plans/members/{bo.Id}", ana.Token))
        {
            Assert.Equal(204, (int)invite.StatusCode);
        }

        var invitation = await boHub.WaitForEventAsync("roomInvite");
        Assert.Equal(("plans", ana.Id), (invitation.GetProperty("room").GetString(), invitation.GetProperty("from").GetProperty("id").GetString()));
        Assert.Equal("unknown_room", (await RefusedAsync(boHub, "JoinRoom", "plans", null)).Code);
        await boHub.InvokeAsync("AcceptRequest", "plans");
        await boHub.InvokeAsync("JoinRoom", "plans", null);
        using (var notOwner = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/plans/members/{eve.Id}", bo.Token))
        {
            Assert.Equal((403, "not_owner"), await ChatApiClient.ProblemAsync(notOwner));
        }

        using (var outsider = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/plans/members/{eve.Id}", eve.Token))
        {
            Assert.Equal((404, "unknown_room"), await ChatApiClient.ProblemAsync(outsider));
        }

        using (var removed = await _host.Api.SendAsync(HttpMethod.Delete, $"/api/rooms/plans/members/{bo.Id}", ana.Token))
        {
            Assert.Equal(204, (int)removed.StatusCode);
        }

        await boHub.WaitForEventAsync("system", e => e.TryGetProperty("code", out var code) && code.GetString() == "member_removed");
        Assert.Equal("not_member", (await RefusedAsync(boHub, "SendMessage", "plans", "still here?", "b-1")).Code);
    }

    [Fact]
    public async Task TheOwnerInvitesByUserName_AndTheMemberAndBlockListsNamePeople()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (anaId, ana) = await _host.Api.RegisterAccountAsync("ana_" + suffix, Password);
        var (boId, bo) = await _host.Api.RegisterAccountAsync("bo_" + suffix, Password);
        var room = "crew-" + suffix;
        await CreatePrivateRoomAsync(ana, room);

        // A name without an account gets the answer of a person who cannot be reached: names are not probed this way.
        using (var unknown = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/{room}/invitations", ana, new { userName = "nobody_" + suffix }))
        {
            Assert.Equal("recipient_unavailable", (await ChatApiClient.ProblemAsync(unknown)).Code);
        }

        using (var notOwner = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/{room}/invitations", bo, new { userName = "ana_" + suffix }))
        {
            Assert.Equal("unknown_room", (await ChatApiClient.ProblemAsync(notOwner)).Code);
        }

        using (var invited = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/{room}/invitations", ana, new { userName = " bo_" + suffix + " " }))
        {
            Assert.Equal(204, (int)invited.StatusCode);
        }

        var members = await _host.Api.GetJsonArrayAsync($"/api/rooms/{room}/members", ana);
        Assert.Equal([(anaId, "owner", "ana_" + suffix), (boId, "pending", "bo_" + suffix)],
            members.Select(m => (m!["userId"]!.GetValue<string>(), m["role"]!.GetValue<string>(), m["name"]!.GetValue<string>())).OrderBy(m => m.Item2).ToList());

        using (var block = await _host.Api.SendAsync(HttpMethod.Post, $"/api/blocks/{anaId}", bo))
        {
            Assert.Equal(204, (int)block.StatusCode);
        }

        var blocks = await _host.Api.GetJsonAsync("/api/blocks", bo);
        Assert.Equal([anaId], blocks["blocked"]!.AsArray().Select(b => b!.GetValue<string>()));
        var person = Assert.Single(blocks["people"]!.AsArray())!;
        Assert.Equal((anaId, "ana_" + suffix), (person["id"]!.GetValue<string>(), person["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AReportGoesToTheReviewQueueWithTheReasonAndTheExcerpt()
    {
        var (ana, bo) = (await PersonAsync("ana"), await PersonAsync("bo"));
        await using var anaHub = await _host.Api.ConnectWithTokenAsync(ana.Token);
        await using var boHub = await _host.Api.ConnectWithTokenAsync(bo.Token);
        var room = await anaHub.InvokeAsync<string>("OpenDirect", bo.Id);
        await anaHub.InvokeAsync("JoinRoom", room, null);
        var sent = await anaHub.InvokeAsync("SendMessage", room, "buy my course, link in bio", "a-1");
        var id = sent.GetProperty("id").GetInt64();

        using (var empty = await _host.Api.SendAsync(HttpMethod.Post, "/api/reports", bo.Token, new { room, messageId = id, reason = " " }))
        {
            Assert.Equal((400, "invalid_reason"), await ChatApiClient.ProblemAsync(empty));
        }

        var eve = await PersonAsync("eve");
        using (var outsider = await _host.Api.SendAsync(HttpMethod.Post, "/api/reports", eve.Token, new { room, messageId = id, reason = "spam" }))
        {
            Assert.Equal((404, "unknown_room"), await ChatApiClient.ProblemAsync(outsider));
        }

        // The recipient reports the request without accepting it.
        using (var report = await _host.Api.SendAsync(HttpMethod.Post, "/api/reports", bo.Token, new { room, userId = ana.Id, reason = "keeps advertising" }))
        {
            Assert.Equal(201, (int)report.StatusCode);
        }

        using (var second = await _host.Api.SendAsync(HttpMethod.Post, "/api/reports", bo.Token, new { room, messageId = id, reason = "again" }))
        {
            Assert.Equal((429, "rate_limited"), await ChatApiClient.ProblemAsync(second));
        }

        var admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        using var flags = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/flags", admin);
        var queue = (await flags.Content.ReadFromJsonAsync<JsonArray>())!;
        var flag = Assert.Single(queue, f => f!["room"]!.GetValue<string>() == room)!;
        Assert.Equal("buy my course, link in bio", flag["text"]!.GetValue<string>());
        Assert.Contains("keeps advertising", flag["reason"]!.GetValue<string>());
        Assert.Contains("report", flag["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task AMinorIsShownASafetyNotice_AndTheirDirectMessageSettingHolds()
    {
        var (adult, minor, other) = (await PersonAsync("adult"), await PersonAsync("kid"), await PersonAsync("other"));
        var participants = _host.Services.GetRequiredService<IParticipantStore>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await participants.SetAsync(new ParticipantProfile(minor.Id, today.AddYears(-14), GuardianStates.Approved, adult.Id,
            DirectMessagePolicies.Contacts, DateTimeOffset.UtcNow), CancellationToken.None);

        await using var adultHub = await _host.Api.ConnectWithTokenAsync(adult.Token);
        await using var minorHub = await _host.Api.ConnectWithTokenAsync(minor.Token);
        await using var otherHub = await _host.Api.ConnectWithTokenAsync(other.Token);

        // Contacts only: someone new cannot start a conversation; one the minor started can go on.
        Assert.Equal("recipient_unavailable", (await RefusedAsync(adultHub, "OpenDirect", minor.Id)).Code);
        var room = await minorHub.InvokeAsync<string>("OpenDirect", adult.Id);
        await adultHub.InvokeAsync("AcceptRequest", room);
        Assert.Equal(room, await adultHub.InvokeAsync<string>("OpenDirect", minor.Id));

        await participants.SetAsync(new ParticipantProfile(minor.Id, today.AddYears(-14), GuardianStates.Approved, adult.Id,
            DirectMessagePolicies.Everyone, DateTimeOffset.UtcNow), CancellationToken.None);
        var fresh = await otherHub.InvokeAsync<string>("OpenDirect", minor.Id);
        await otherHub.InvokeAsync("JoinRoom", fresh, null);
        await otherHub.InvokeAsync("SendMessage", fresh, "hey, how old are you?", "o-1");
        await minorHub.WaitForEventAsync("conversationRequest", r => r.GetProperty("room").GetString() == fresh);
        var notice = await minorHub.WaitForEventAsync("system", e => e.TryGetProperty("code", out var code) && code.GetString() == "safety_notice");
        Assert.Equal(fresh, notice.GetProperty("room").GetString());

        await participants.SetAsync(new ParticipantProfile(minor.Id, today.AddYears(-14), GuardianStates.Approved, adult.Id,
            DirectMessagePolicies.Off, DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal("direct_messages_off", (await RefusedAsync(minorHub, "OpenDirect", other.Id)).Code);
        await adultHub.InvokeAsync("JoinRoom", room, null);
        Assert.Equal("recipient_unavailable", (await RefusedAsync(adultHub, "SendMessage", room, "hello", "ad-1")).Code);
    }

    [Fact]
    public async Task AnAdultAModeratorRestrictedCannotReachAMinorPrivatelyButStillReachesAdults()
    {
        var (adult, minor, other) = (await PersonAsync("restricted"), await PersonAsync("kid"), await PersonAsync("grown"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await _host.Services.GetRequiredService<IParticipantStore>().SetAsync(new ParticipantProfile(minor.Id, today.AddYears(-13),
            GuardianStates.Approved, other.Id, DirectMessagePolicies.Everyone, DateTimeOffset.UtcNow), CancellationToken.None);
        await using var adultHub = await _host.Api.ConnectWithTokenAsync(adult.Token);
        await using var minorHub = await _host.Api.ConnectWithTokenAsync(minor.Token);

        // Before the restriction the conversation opens and carries a message.
        var room = await adultHub.InvokeAsync<string>("OpenDirect", minor.Id);
        await minorHub.InvokeAsync("AcceptRequest", room);
        await adultHub.InvokeAsync("JoinRoom", room, null);
        await adultHub.InvokeAsync("SendMessage", room, "did you finish the worksheet?", "r-1");

        await _host.Services.GetRequiredService<IContactRestrictionStore>().RestrictAsync(
            new ContactRestriction(adult.Id, "guardian case", "moderator", DateTimeOffset.UtcNow, CaseId: 1), CancellationToken.None);
        Assert.Equal("recipient_unavailable", (await RefusedAsync(adultHub, "SendMessage", room, "are you there?", "r-2")).Code);
        Assert.Equal("recipient_unavailable", (await RefusedAsync(adultHub, "OpenDirect", minor.Id)).Code);

        // Adults are still reachable, and the minor's history keeps only what was sent before.
        Assert.StartsWith(ConversationService.DirectPrefix, await adultHub.InvokeAsync<string>("OpenDirect", other.Id));
        using var history = await _host.Api.SendAsync(HttpMethod.Get, $"/api/rooms/{room}/messages", minor.Token);
        var page = (await history.Content.ReadFromJsonAsync<JsonObject>())!;
        var texts = page["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>());
        Assert.Equal(["did you finish the worksheet?"], texts);
    }

    private async Task<(string Id, string Token)> PersonAsync(string name)
    {
        var (id, token) = await _host.Api.RegisterAccountAsync(name + "_" + Guid.NewGuid().ToString("N")[..6], Password);
        return (id, token);
    }

    private async Task CreatePrivateRoomAsync(string token, string room)
    {
        using var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms", token, new { name = room, visibility = "private" });
        Assert.Equal(201, (int)created.StatusCode);
    }

    private async Task<JsonArray> ConversationsAsync(string token)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Get, "/api/conversations", token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    private async Task<List<string>> RoomNamesAsync(string token)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", token);
        response.EnsureSuccessStatusCode();
        return [.. (await response.Content.ReadFromJsonAsync<JsonArray>())!.Select(r => r!["name"]!.GetValue<string>())];
    }

    private static Task<HubInvocationException> RefusedAsync(HubClient client, string method, params object?[] arguments) =>
        Assert.ThrowsAsync<HubInvocationException>(() => client.InvokeAsync(method, arguments));
}
