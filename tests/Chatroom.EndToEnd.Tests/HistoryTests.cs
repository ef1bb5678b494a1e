using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;

namespace Chatroom.EndToEnd.Tests;

public sealed class HistoryTests
{
    private static readonly Dictionary<string, string?> FastSenders = new()
    {
        ["Chatroom:Chat:MessagesPerSecond"] = "1000",
        ["Chatroom:Chat:Burst"] = "1000",
        ["Chatroom:Chat:UserMessagesPerSecond"] = "1000",
        ["Chatroom:Chat:UserBurst"] = "1000",
        ["Chatroom:Sockets:InvocationsPerSecond"] = "1000",
        ["Chatroom:Sockets:InvocationBurst"] = "1000",
    };

    [Fact]
    public async Task HistoryPagesBackwardAndForwardByIds()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, FastSenders);
        var token = await host.Api.GuestTokenAsync("pager");
        await host.Api.CreateRoomAsync(token, "paging");
        await using (var client = await host.Api.ConnectWithTokenAsync(token))
        {
            await client.InvokeAsync("JoinRoom", "paging", null);
            for (var i = 1; i <= 25; i++)
            {
                await client.InvokeAsync("SendMessage", "paging", $"message {i}", $"p-{i}");
            }
        }

        var latest = await host.Api.GetJsonAsync("/api/rooms/paging/messages?limit=10", token);
        Assert.Equal(Range(16, 25), Ids(latest));
        Assert.True(latest["hasMore"]!.GetValue<bool>());

        var older = await host.Api.GetJsonAsync("/api/rooms/paging/messages?limit=10&before=16", token);
        Assert.Equal(Range(6, 15), Ids(older));
        Assert.True(older["hasMore"]!.GetValue<bool>());

        var oldest = await host.Api.GetJsonAsync("/api/rooms/paging/messages?limit=10&before=6", token);
        Assert.Equal(Range(1, 5), Ids(oldest));
        Assert.False(oldest["hasMore"]!.GetValue<bool>());

        var newer = await host.Api.GetJsonAsync("/api/rooms/paging/messages?limit=3&after=20", token);
        Assert.Equal(Range(21, 23), Ids(newer));
        Assert.True(newer["hasMore"]!.GetValue<bool>());

        var between = await host.Api.GetJsonAsync("/api/rooms/paging/messages?after=10&before=13", token);
        Assert.Equal(Range(11, 12), Ids(between));
        Assert.Equal("message 11", between["messages"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARestartKeepsRoomsMessagesAndTokens()
    {
        using var data = new TempDirectory();
        string token;
        long id;
        await using (var first = await StandaloneHost.StartAsync(data.Path))
        {
            token = await first.Api.GuestTokenAsync("keeper");
            await first.Api.CreateRoomAsync(token, "durable");
            await using var client = await first.Api.ConnectWithTokenAsync(token);
            await client.InvokeAsync("JoinRoom", "durable", null);
            id = (await client.InvokeAsync("SendMessage", "durable", "still here after a restart", "d-1")).GetProperty("id").GetInt64();
        }

        await using var second = await StandaloneHost.StartAsync(data.Path);
        var rooms = await second.Api.SendAsync(HttpMethod.Get, "/api/rooms", token);
        Assert.Contains("\"durable\"", await rooms.Content.ReadAsStringAsync());

        var page = await second.Api.GetJsonAsync("/api/rooms/durable/messages", token);
        var message = Assert.Single(page["messages"]!.AsArray())!;
        Assert.Equal(id, message["id"]!.GetValue<long>());
        Assert.Equal("still here after a restart", message["text"]!.GetValue<string>());

        // Ids continue where they stopped, and the old client id still deduplicates.
        await using var again = await second.Api.ConnectWithTokenAsync(token);
        await again.InvokeAsync("JoinRoom", "durable", null);
        var retried = await again.InvokeAsync("SendMessage", "durable", "still here after a restart", "d-1");
        Assert.True(retried.GetProperty("duplicate").GetBoolean());
        var next = await again.InvokeAsync("SendMessage", "durable", "and one more", "d-2");
        Assert.Equal(id + 1, next.GetProperty("id").GetInt64());
    }

    private static List<long> Ids(JsonObject page) =>
        page["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<long>()).ToList();

    private static List<long> Range(long from, long to) =>
        Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i).ToList();
}
