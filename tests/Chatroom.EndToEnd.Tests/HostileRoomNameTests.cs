using System.Net;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// Path traversal and look-alike room names in REST routes, bodies and every hub method: refused with
/// <c>invalid_room_name</c> (or, where the server normalises the path first, a plain 404), nothing created, and no file
/// appears outside the data folder.
/// </summary>
public sealed class HostileRoomNameTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private StandaloneHost _host = null!;
    private string _token = null!;
    private HubClient _client = null!;
    private string[] _filesBefore = [];

    private string DataPath => Path.Combine(_root.Path, "data");

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(DataPath);
        _token = await _host.Api.GuestTokenAsync("traveller");
        _client = await _host.Api.ConnectWithTokenAsync(_token);
        await _client.InvokeAsync("JoinRoom", "lobby", null);
        _filesBefore = Files();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _host.DisposeAsync();
        _root.Dispose();
    }

    public static TheoryData<string> HostileNames => new()
    {
        "../etc",
        "../../../../etc/passwd",
        "..\\..\\windows",
        "%2e%2e%2fetc",
        "..%2F..%2Fetc",
        "lobby\0",
        "lob\0by",
        new string('a', 10_000),
        "lobbу", // Cyrillic у
        "ｌｏｂｂｙ", // full-width
        "lobby\u200b", // zero-width space
        "LOBBY",
        "/etc",
        "room/../../x",
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task EveryHubMethodRefusesTheName(string room)
    {
        foreach (var (method, arguments) in new (string, object?[])[]
                 {
                     ("JoinRoom", [room, null]), ("LeaveRoom", [room]), ("Typing", [room]), ("SendMessage", [room, "hi", "c-1"]),
                 })
        {
            var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => _client.InvokeAsync(method, arguments));
            Assert.Equal("invalid_room_name", refusal.Code);
        }

        await AssertNothingCreatedAsync();
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task CreatingARoomWithTheNameIsRefused(string room)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms", _token, new { name = room, topic = "escape" });
        Assert.Equal((400, "invalid_room_name"), await ChatApiClient.ProblemAsync(response));
        await AssertNothingCreatedAsync();
    }

    [Theory]
    [InlineData("..%2Fetc", 400, "invalid_room_name")]
    [InlineData("%2e%2e%2fetc", 400, "invalid_room_name")]
    [InlineData("..%5C..%5Cetc", 400, "invalid_room_name")]
    [InlineData("lobb%D1%83", 400, "invalid_room_name")]
    [InlineData("%EF%BD%8C%EF%BD%8F%EF%BD%82%EF%BD%82%EF%BD%99", 400, "invalid_room_name")]
    [InlineData("LOBBY", 400, "invalid_room_name")]
    // The server removes dot segments before routing: /api/rooms/../messages is /api/messages, which does not exist.
    [InlineData("..", 404, "not_found")]
    [InlineData("%2e%2e", 404, "not_found")]
    public async Task HistoryRoutesRefuseTheName(string escapedRoom, int status, string code)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Get, $"/api/rooms/{escapedRoom}/messages", _token);
        Assert.Equal((status, code), await ChatApiClient.ProblemAsync(response));
        await AssertNothingCreatedAsync();
    }

    [Theory]
    [InlineData("lobby%00")]
    [InlineData("lob%00by")]
    public async Task ANulInThePathIsRefusedByTheServerBeforeTheApp(string escapedRoom)
    {
        // Kestrel refuses a decoded NUL in the path as a malformed request (400, no body): no route ever sees it.
        using var response = await _host.Api.SendAsync(HttpMethod.Get, $"/api/rooms/{escapedRoom}/messages", _token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task AVeryLongNameInThePathIsRefused()
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Get, $"/api/rooms/{new string('a', 4000)}/messages", _token);
        Assert.Equal((400, "invalid_room_name"), await ChatApiClient.ProblemAsync(response));
    }

    private async Task AssertNothingCreatedAsync()
    {
        using var rooms = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", _token);
        Assert.Equal(HttpStatusCode.OK, rooms.StatusCode);
        var names = System.Text.Json.JsonDocument.Parse(await rooms.Content.ReadAsStringAsync()).RootElement
            .EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["lobby"], names);

        // Only the data folder in the test's root, and no file in it that was not there before.
        Assert.Equal([DataPath], Directory.GetFileSystemEntries(_root.Path));
        var added = Files().Except(_filesBefore).Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).ToList();
        Assert.True(added.Count == 0, $"new files in the data folder: {string.Join(", ", added)}");
    }

    private string[] Files() => Directory.GetFileSystemEntries(DataPath, "*", SearchOption.AllDirectories);
}
