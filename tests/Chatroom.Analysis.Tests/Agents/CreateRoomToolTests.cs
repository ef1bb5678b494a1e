using Chatroom.Analysis.Agents;
using Chatroom.Analysis.Agents.Tools;
using Chatroom.Analysis.Knowledge;
using Chatroom.Core.Agents;
using Chatroom.Embedded;
using Chatroom.Core.Errors;
using Chatroom.Core.Rooms;
using Chatroom.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chatroom.Analysis.Tests.Agents;

/// <summary>
/// The agents' create_room tool refuses what <c>POST /api/rooms</c> refuses, with the same code and sentence: both go
/// through the one <see cref="RoomService"/> (the tool used to allow 200 UTF-16 units, line breaks and no room cap).
/// </summary>
public sealed class CreateRoomToolTests : IAsyncLifetime
{
    private static readonly AgentDefinition Agent = new() { Name = "helper", Tools = [AgentTools.CreateRoom] };
    private static readonly ToolContext Context = new("lobby", "helper", "ana");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-agent-rooms-" + Guid.NewGuid().ToString("N"));
    private IHost _host = null!;
    private ToolGate _tools = null!;

    public Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chatroom:DataDirectory"] = _folder,
            ["Chatroom:Chat:MaxRooms"] = "3",
        });
        builder.AddChatCore();
        builder.Services.AddSingleton<IKnowledgeBase, EmptyKnowledgeBase>();
        _host = builder.Build();
        var services = _host.Services;
        _tools = new ToolGate(ActivatorUtilities.CreateInstance<AgentToolbox>(services), ActivatorUtilities.CreateInstance<AgentFeed>(services));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        // The SQLite databases close asynchronously, so the host is disposed that way.
        await ((IAsyncDisposable)_host).DisposeAsync();

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AValidRoomIsCreatedByTheAgent_WithATopicMeasuredInCharacters()
    {
        // 150 emoji: 300 UTF-16 units, which the tool used to refuse, but 150 characters, within REST's limit of 200.
        var topic = string.Concat(Enumerable.Repeat("🎲", 150));

        Assert.Equal("created room #games", await CreateAsync("#Games", topic));
        var room = await _host.Services.GetRequiredService<IRoomStore>().GetAsync("games", CancellationToken.None);
        Assert.Equal((topic, "agent:helper"), (room!.Topic, room.CreatedBy));
    }

    [Theory]
    [InlineData("book club", null, ErrorCodes.InvalidRoomName, "room names are 1-64 characters of lower-case letters, digits and '-'")]
    [InlineData("no_underscores", null, ErrorCodes.InvalidRoomName, "room names are 1-64 characters of lower-case letters, digits and '-'")]
    [InlineData("notes", "two\nlines", ErrorCodes.InvalidTopic, "topics are at most 200 characters on one line")]
    public async Task TheToolRefusesWhatRestRefuses_WithTheSameCode(string name, string? topic, string code, string sentence) =>
        Assert.Equal($"error: {code}: {sentence}", await CreateAsync(name, topic));

    [Fact]
    public async Task ATopicOverTheLimitIsRefusedAsOverRest() =>
        Assert.Equal("error: invalid_topic: topics are at most 200 characters on one line", await CreateAsync("long", new string('x', 201)));

    [Fact]
    public async Task AnExistingRoomAndTheRoomCapAreRefusedAsOverRest()
    {
        await CreateAsync("one", null);
        Assert.Equal("error: room_exists: there is already a room 'one'", await CreateAsync("one", null));

        await CreateAsync("two", null);
        await CreateAsync("three", null);
        Assert.Equal("error: too_many_rooms: this deployment holds at most 3 rooms", await CreateAsync("four", null));
    }

    private Task<string> CreateAsync(string name, string? topic) =>
        _tools.InvokeAsync(Agent, AgentTools.CreateRoom, new Dictionary<string, object?> { ["name"] = name, ["topic"] = topic }, Context, CancellationToken.None);

    /// <summary>A knowledge base with nothing in it: these tests never search.</summary>
    private sealed class EmptyKnowledgeBase : IKnowledgeBase
    {
        public Task<KnowledgeDocument> AddAsync(string title, string text, CancellationToken cancellationToken) =>
            Task.FromResult(new KnowledgeDocument(Guid.NewGuid().ToString("N"), title, 0, DateTimeOffset.UtcNow));

        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int k, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<KnowledgeHit>>([]);
    }
}
