using Chatroom.Analysis.Agents;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Analysis.Agents.Tools;
using Chatroom.Analysis.Knowledge;
using Chatroom.Analysis.Tests.Knowledge;
using Chatroom.Backends;
using Chatroom.Core.Agents;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Chatroom.Analysis.Tests.Agents;

/// <summary>
/// The concierge with no chat model, on the real local embedding model and real SQLite stores: the ways people ask —
/// polite, indirect, misspelt, with extra words or in another order — each do what was asked (the room exists under its
/// slug, the list names the rooms, the watch is stored…), and chat to the concierge does nothing.
/// </summary>
public sealed class ConciergeWithoutAModelTests(LocalEmbeddingTests.Model model, ITestOutputHelper output)
    : IClassFixture<LocalEmbeddingTests.Model>, IAsyncLifetime
{
    private const string Here = "lobby";
    private static readonly AgentDefinition Concierge = BuiltInAgents.Concierge;
    private static readonly ToolContext Context = new(Here, "concierge", "ana");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-concierge-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingKnowledgeBase _knowledge = new();
    private IHost _host = null!;
    private NoModelResponder _responder = null!;

    /// <summary>Requests and what they ask for: the intent, then the room name, watched topic, summarised room or query.</summary>
    public static TheoryData<string, string, string?, string?> Phrasings { get; } = new()
    {
        { "create a room called book club", AgentTools.CreateRoom, "book-club", null },
        { "Create a room called \"Book Club!\"", AgentTools.CreateRoom, "book-club", null },
        { "make a room named book club please", AgentTools.CreateRoom, "book-club", null },
        { "could you please open a new channel called Board Games about tabletop nights?", AgentTools.CreateRoom, "board-games", "tabletop nights" },
        { "I'd love a hiking room", AgentTools.CreateRoom, "hiking", null },
        { "we need a new Book Club channel to discuss novels", AgentTools.CreateRoom, "book-club", "novels" },
        { "crete a room caled garden club", AgentTools.CreateRoom, "garden-club", null },
        { "new room: Café Crème", AgentTools.CreateRoom, "cafe-creme", null },
        { "can you set up a channel for the running group?", AgentTools.CreateRoom, "running-group", null },
        { "open #Trivia-Night", AgentTools.CreateRoom, "trivia-night", null },
        { "please add a room 'Déjà Vu'", AgentTools.CreateRoom, "deja-vu", null },
        { "Make me a room named “Ana's Kitchen”.", AgentTools.CreateRoom, "anas-kitchen", null },
        { "hey, start a channel named movies about films we like", AgentTools.CreateRoom, "movies", "films we like" },
        { "what rooms are there?", AgentTools.ListRooms, null, null },
        { "list rooms", AgentTools.ListRooms, null, null },
        { "which rooms can I join?", AgentTools.ListRooms, null, null },
        { "show me the channels", AgentTools.ListRooms, null, null },
        { "lsit all rooms pls", AgentTools.ListRooms, null, null },
        { "are there any other rooms?", AgentTools.ListRooms, null, null },
        { "where else can I chat?", AgentTools.ListRooms, null, null },
        { "could you tell me what channels exist", AgentTools.ListRooms, null, null },
        { "watch pizza", AgentTools.WatchTopic, "pizza", null },
        { "let me know whenever someone mentions the outage", AgentTools.WatchTopic, "outage", null },
        { "ping me if anyone talks about football in other rooms", AgentTools.WatchTopic, "football", null },
        { "keep an eye out for mentions of the release date", AgentTools.WatchTopic, "release date", null },
        { "Could you alert me when vacation comes up elsewhere?", AgentTools.WatchTopic, "vacation", null },
        { "I want to know when people discuss kubernetes", AgentTools.WatchTopic, "kubernetes", null },
        { "wacth for board games", AgentTools.WatchTopic, "board games", null },
        { "notify me about 'hiring'", AgentTools.WatchTopic, "hiring", null },
        { "summarize #food", AgentTools.SummarizeRoom, "food", null },
        { "what did I miss?", AgentTools.SummarizeRoom, Here, null },
        { "can you give me a recap of the food room", AgentTools.SummarizeRoom, "food", null },
        { "catch me up on what happened in #food", AgentTools.SummarizeRoom, "food", null },
        { "sumarize this room pls", AgentTools.SummarizeRoom, Here, null },
        { "give me a quick summary of the chat", AgentTools.SummarizeRoom, Here, null },
        { "search the knowledge base for parking", AgentTools.SearchKnowledge, "parking", null },
        { "look up the vacation policy in the docs", AgentTools.SearchKnowledge, "vacation policy", null },
        { "what does the handbook say about expenses?", AgentTools.SearchKnowledge, "expenses", null },
        { "serach the docs for password reset", AgentTools.SearchKnowledge, "password reset", null },
        { "find me something in the kb about parking rules", AgentTools.SearchKnowledge, "parking rules", null },
        { "help", CommandReader.Help, null, null },
        { "what can you do?", CommandReader.Help, null, null },
        { "how does this work, what commands do you know?", CommandReader.Help, null, null },
    };

    /// <summary>Chat to the concierge: none of it creates a room or stores a watch.</summary>
    private static readonly string[] ConversationTexts =
    [
        "hi concierge, how are you today?",
        "thanks, you're the best!",
        "open the door please",
        "I watched a film yesterday and it was great",
        "this room is so quiet today",
        "what's the capital of France?",
        "do you like pizza?",
        "lol",
        "good night everyone",
        "create a room",
    ];

    public static TheoryData<string> Conversation { get; } = new(ConversationTexts);

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Chatroom:DataDirectory"] = _folder });
        builder.AddChatCore();
        builder.Services.AddSingleton<IKnowledgeBase>(_knowledge);
        _host = builder.Build();
        var services = _host.Services;
        var tools = new ToolGate(ActivatorUtilities.CreateInstance<AgentToolbox>(services), ActivatorUtilities.CreateInstance<AgentFeed>(services));
        _responder = new NoModelResponder(tools, Reader());
        var rooms = services.GetRequiredService<RoomService>();
        await rooms.CreateAsync(Here, null, "admin", CancellationToken.None);
        await rooms.CreateAsync("food", "what we eat", "admin", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncDisposable)_host).DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Phrasings))]
    public async Task EachPhrasingDoesWhatWasAsked(string request, string intent, string? value, string? topic)
    {
        var reply = await _responder.AnswerAsync(Concierge, request, Context, CancellationToken.None);
        output.WriteLine(reply);

        switch (intent)
        {
            case AgentTools.CreateRoom:
                var room = await Rooms.GetAsync(value!, CancellationToken.None);
                Assert.True(room is not null, $"no room #{value}; the reply was: {reply}");
                Assert.Equal(topic, room.Topic);
                Assert.StartsWith($"Created #{value}", reply);
                Assert.EndsWith("join it from the room list.", reply);
                break;
            case AgentTools.ListRooms:
                Assert.Contains("#lobby", reply);
                Assert.Contains("#food — what we eat", reply);
                break;
            case AgentTools.WatchTopic:
                var watches = await Watches.ListAsync(CancellationToken.None);
                Assert.Equal([(Here, value)], watches.Select(w => (w.Room, (string?)w.Topic)));
                Assert.Contains($"watching other rooms for \"{value}\"", reply);
                break;
            case AgentTools.SummarizeRoom:
                Assert.StartsWith($"#{value} ", reply);
                break;
            case AgentTools.SearchKnowledge:
                Assert.Contains(value!, Assert.Single(_knowledge.Queries));
                Assert.Contains("[Handbook]", reply);
                break;
            default:
                Assert.StartsWith("Here is what I can do:", reply);
                Assert.Contains("create a room called <name>", reply);
                break;
        }

        if (intent != AgentTools.CreateRoom)
        {
            Assert.Equal(["food", "lobby"], (await Rooms.ListAsync(CancellationToken.None)).Select(r => r.Name).Order());
        }
    }

    [Theory]
    [MemberData(nameof(Conversation))]
    public async Task ChatToTheConciergeCreatesNothing(string request)
    {
        var reply = await _responder.AnswerAsync(Concierge, request, Context, CancellationToken.None);
        output.WriteLine(reply);

        Assert.Equal(["food", "lobby"], (await Rooms.ListAsync(CancellationToken.None)).Select(r => r.Name).Order());
        Assert.Empty(await Watches.ListAsync(CancellationToken.None));
        Assert.DoesNotContain("Created #", reply);
    }

    [Fact]
    public async Task ARequestWithoutANameIsAnsweredWithAQuestion_AndTheNoModelReplyHasNoConfigurationKeys()
    {
        var question = await _responder.AnswerAsync(Concierge, "create a room", Context, CancellationToken.None);
        var chat = await _responder.AnswerAsync(Concierge, "what's the capital of France?", Context, CancellationToken.None);

        Assert.StartsWith("What should the room be called?", question);
        Assert.StartsWith(NoModelResponder.GenerationOff, chat);
        Assert.DoesNotContain("ConnectionStrings", chat);
        Assert.DoesNotContain("__", chat);
    }

    [Fact]
    public async Task AnExistingRoomIsRefusedInPlainWords()
    {
        var reply = await _responder.AnswerAsync(Concierge, "create a room called Food", Context, CancellationToken.None);

        Assert.Equal("I couldn't create #food: there is already a room 'food'.", reply);
    }

    /// <summary>The intent routing accuracy on the phrasing set, before (the command forms alone) and now.</summary>
    [Fact]
    public async Task IntentAccuracyOnThePhrasingSet()
    {
        var reader = Reader();
        int before = 0, after = 0, total = 0;
        foreach (var row in Phrasings)
        {
            var (request, intent) = ((string)row[0], (string)row[1]);
            total++;
            var old = NoModelResponder.Command(request)?.Tool ?? (request.Trim() is "help" ? CommandReader.Help : null);
            before += old == intent ? 1 : 0;
            var now = await reader.ReadAsync(request, Concierge.Tools, CancellationToken.None);
            after += now?.Intent == intent ? 1 : 0;
            if (now?.Intent != intent)
            {
                output.WriteLine($"missed: {request} -> {now?.Intent}");
            }
        }

        output.WriteLine($"requests: before {before}/{total}, after {after}/{total}");
        foreach (var request in ConversationTexts)
        {
            total++;
            before += NoModelResponder.Command(request) is null ? 1 : 0;
            var now = await reader.ReadAsync(request, Concierge.Tools, CancellationToken.None);
            var right = now is null || now.Intent == CommandReader.Help || (now.Intent == AgentTools.CreateRoom && now.Arguments["name"] is "");
            after += right ? 1 : 0;
            if (!right)
            {
                output.WriteLine($"missed: {request} -> {now?.Intent}");
            }
        }

        output.WriteLine($"intent routing: before {before}/{total}, after {after}/{total}");
        Assert.Equal(total, after);
    }

    [Fact]
    public async Task WithoutEmbeddingsTheActionWordsStillWork()
    {
        using var broken = new LocalEmbeddingGenerator(NullLogger<LocalEmbeddingGenerator>.Instance, () => throw new InvalidOperationException("no onnx"));
        var reader = new CommandReader(new SemanticMatcher(broken, NullLogger<SemanticMatcher>.Instance), NullLogger<CommandReader>.Instance);

        var create = await reader.ReadAsync("could you crete a room caled garden club", Concierge.Tools, CancellationToken.None);
        var list = await reader.ReadAsync("which rooms can I join?", Concierge.Tools, CancellationToken.None);
        var chat = await reader.ReadAsync("do you like pizza?", Concierge.Tools, CancellationToken.None);

        Assert.Equal((AgentTools.CreateRoom, "garden-club"), (create?.Intent, create?.Arguments["name"]));
        Assert.Equal(AgentTools.ListRooms, list?.Intent);
        Assert.Null(chat);
    }

    private IRoomStore Rooms => _host.Services.GetRequiredService<IRoomStore>();

    private ITopicWatchStore Watches => _host.Services.GetRequiredService<ITopicWatchStore>();

    private CommandReader Reader() =>
        new(new SemanticMatcher(model.Generator, NullLogger<SemanticMatcher>.Instance), NullLogger<CommandReader>.Instance);

    /// <summary>Remembers what was searched for and finds one passage for it.</summary>
    private sealed class RecordingKnowledgeBase : IKnowledgeBase
    {
        public List<string> Queries { get; } = [];

        public Task<KnowledgeDocument> AddAsync(string title, string text, CancellationToken cancellationToken) =>
            Task.FromResult(new KnowledgeDocument(Guid.NewGuid().ToString("N"), title, 0, DateTimeOffset.UtcNow));

        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int k, CancellationToken cancellationToken)
        {
            Queries.Add(query);
            return Task.FromResult<IReadOnlyList<KnowledgeHit>>([new KnowledgeHit("d1", "Handbook", "the passage", 0.8)]);
        }
    }
}
