using Chatroom.Analysis.Agents;
using Chatroom.Analysis.Guardian;
using Chatroom.Analysis.Models;
using Chatroom.Analysis.Tests.Knowledge;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Core.Contacts;
using Chatroom.Core.GuardianCases;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;
using Chatroom.Embedded;
using Chatroom.Embedded.Contacts;
using Chatroom.Embedded.GuardianCases;
using Chatroom.Embedded.Messages;
using Chatroom.Embedded.Rooms;
using Chatroom.Embedded.Sqlite;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.Analysis.Tests.Guardian;

/// <summary>The guardian agent's watch over private rooms, on the embedded stores.</summary>
public sealed class GuardianMonitorTests(LocalEmbeddingTests.Model model) : IClassFixture<LocalEmbeddingTests.Model>, IAsyncLifetime
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-guardian-" + Guid.NewGuid().ToString("N"));
    private readonly TestMeterFactory _meters = new();
    private SqliteDatabase _database = null!;
    private SqliteRoomStore _rooms = null!;
    private SqliteMessageLog _log = null!;
    private SqliteParticipantStore _participants = null!;
    private SqliteGuardianCaseStore _cases = null!;
    private SqliteGuardianSettingsStore _settings = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = ChatDatabase.Open(Path.Combine(_folder, "chat.db"), "NORMAL");
        _rooms = new SqliteRoomStore(_database, new RoomStateCache());
        _log = new SqliteMessageLog(_database);
        _participants = new SqliteParticipantStore(_database);
        _cases = new SqliteGuardianCaseStore(_database);
        _settings = new SqliteGuardianSettingsStore(_database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _meters.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private GuardianMonitor Monitor(IChatClient? reasoning = null, GuardianOptions? options = null) => new(
        _rooms, _log, _participants, _cases, _settings,
        new GuardianScorer(model.Generator, new GuardianExemplarIndex(model.Generator), GuardianModel.Default),
        new GuardianCaseSummarizer(new AgentModelClients(reasoning: reasoning), NullLogger<GuardianCaseSummarizer>.Instance),
        new GuardianCaseMetrics(_meters), new FixedOptionsMonitor<GuardianOptions>(options ?? new GuardianOptions()), TimeProvider.System,
        NullLogger<GuardianMonitor>.Instance);

    private async Task PersonAsync(string id, int age) =>
        await _participants.SetAsync(new ParticipantProfile(id, Today.AddYears(-age).AddDays(-10), age < 16 ? GuardianStates.Approved : GuardianStates.None,
            age < 16 ? "guardian-" + id : null, DirectMessagePolicies.Everyone, DateTimeOffset.UtcNow), CancellationToken.None);

    private async Task RoomAsync(string name, string visibility, params string[] members)
    {
        await _rooms.TryCreateAsync(new Room(name, null, members[0], DateTimeOffset.UtcNow, Visibility: visibility), CancellationToken.None);
        foreach (var member in members)
        {
            await _rooms.SetMemberAsync(name, new RoomMember(member, member == members[0] ? MemberRoles.Owner : MemberRoles.Member, DateTimeOffset.UtcNow), CancellationToken.None);
        }
    }

    private async Task<long> SayAsync(string room, params (string From, string Text)[] lines)
    {
        long last = 0;
        foreach (var (from, text) in lines)
        {
            last = (await _log.AppendAsync(new NewMessage(room, from, from, MessageKind.User, text, null), DateTimeOffset.UtcNow, CancellationToken.None)).Message.Id;
        }

        return last;
    }

    private static readonly (string, string)[] Grooming =
    [
        ("adult", "hey, saw you in the game lobby, you're really good"),
        ("kid", "thanks"),
        ("adult", "how old are you?"),
        ("kid", "12"),
        ("adult", "you're so mature for your age"),
        ("adult", "don't tell your parents we talk, ok? our secret"),
        ("adult", "add me on telegram, this app reads everything"),
        ("adult", "we could meet at the park on saturday, just the two of us"),
    ];

    [Fact]
    public async Task AGroomingPatternInADirectRoomWithAMinor_OpensOneCaseForTheWindow_WithEvidenceAndAnExtractiveSummary()
    {
        await PersonAsync("adult", 38);
        await PersonAsync("kid", 12);
        await RoomAsync("dm-adult-kid", RoomVisibility.Direct, "adult", "kid");
        var last = await SayAsync("dm-adult-kid", Grooming);
        var monitor = Monitor();

        await monitor.ObserveAsync("dm-adult-kid", last, CancellationToken.None);
        await monitor.ObserveAsync("dm-adult-kid", last, CancellationToken.None);

        var opened = Assert.Single(await _cases.ListAsync(null, null, 10, CancellationToken.None));
        Assert.Equal((GuardianCaseKinds.Conversation, "dm-adult-kid", "adult", GuardianCaseStates.Open), (opened.Kind, opened.Room, opened.SubjectUserId, opened.State));
        Assert.Equal(["kid"], opened.MinorUserIds);
        Assert.Contains("adult: don't tell your parents we talk, ok? our secret", opened.EvidenceLines);
        Assert.DoesNotContain(opened.EvidenceLines, l => l.StartsWith("kid:", StringComparison.Ordinal));
        Assert.Contains(opened.Signals, s => s.Name == GuardianSignals.Secrecy);
        Assert.Contains("a 38-year-old and a 12-year-old", opened.Summary);
        Assert.Equal(1, _meters.Sum("chatroom.guardian.cases_opened"));
    }

    [Fact]
    public async Task AnAdminsStoredThreshold_AppliesToTheRunningMonitor_AndResettingItRestoresTheFittedOne()
    {
        await PersonAsync("adult", 38);
        await PersonAsync("kid", 12);
        await RoomAsync("dm-adult-kid", RoomVisibility.Direct, "adult", "kid");
        var last = await SayAsync("dm-adult-kid", Grooming);
        var monitor = Monitor();

        // A threshold no score reaches: the same conversation that opens a case by default opens none.
        await _settings.SaveAsync(new GuardianSettings(1.0, 30, TimeSpan.FromDays(2), 5, TimeSpan.FromDays(1), "admin", DateTimeOffset.UtcNow), CancellationToken.None);
        await monitor.ObserveAsync("dm-adult-kid", last, CancellationToken.None);
        Assert.Empty(await _cases.ListAsync(null, null, 10, CancellationToken.None));

        Assert.True(await _settings.ResetAsync(CancellationToken.None));
        await monitor.ObserveAsync("dm-adult-kid", last, CancellationToken.None);
        Assert.Single(await _cases.ListAsync(null, null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task TheSameWordsInAPublicRoomOrBetweenAdults_OpenNothing()
    {
        await PersonAsync("adult", 38);
        await PersonAsync("kid", 30);
        await RoomAsync("dm-adults", RoomVisibility.Direct, "adult", "kid");
        await _rooms.TryCreateAsync(new Room("lobby", null, "adult", DateTimeOffset.UtcNow), CancellationToken.None);
        var monitor = Monitor();

        await monitor.ObserveAsync("dm-adults", await SayAsync("dm-adults", Grooming), CancellationToken.None);
        await monitor.ObserveAsync("lobby", await SayAsync("lobby", Grooming), CancellationToken.None);

        Assert.Empty(await _cases.ListAsync(null, null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task WithAReasoningModel_TheCaseSummaryIsTheModels()
    {
        await using var server = await FakeOllamaServer.StartAsync();
        server.Enqueue(FakeLlmReply.Text("The adult asks a 12-year-old for secrecy, a move to Telegram and a meeting alone."));
        using var http = new HttpClient();
        var client = AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse($"Endpoint={server.Endpoint};Model=fake"), http);
        await PersonAsync("adult", 38);
        await PersonAsync("kid", 12);
        await RoomAsync("dm-model", RoomVisibility.Direct, "adult", "kid");

        await Monitor(client).ObserveAsync("dm-model", await SayAsync("dm-model", Grooming), CancellationToken.None);

        var opened = Assert.Single(await _cases.ListAsync(null, null, 10, CancellationToken.None));
        Assert.Equal("The adult asks a 12-year-old for secrecy, a move to Telegram and a meeting alone.", opened.Summary);
        Assert.Contains("don't tell your parents we talk", server.Requests.Single().ToString());
    }

    [Fact]
    public async Task AnAdultOpeningManyNewContactsWithMinors_OpensAContactsCase()
    {
        await PersonAsync("adult", 41);
        var monitor = Monitor(options: new GuardianOptions { MaxNewMinorContacts = 3 });
        for (var i = 1; i <= 3; i++)
        {
            await PersonAsync($"kid{i}", 13);
            await RoomAsync($"dm-{i}", RoomVisibility.Direct, "adult", $"kid{i}");
            await monitor.ObserveAsync($"dm-{i}", await SayAsync($"dm-{i}", ("adult", "hi, how was school today?"), ($"kid{i}", "fine")), CancellationToken.None);
        }

        var opened = Assert.Single(await _cases.ListAsync(null, null, 10, CancellationToken.None));
        Assert.Equal((GuardianCaseKinds.Contacts, "adult"), (opened.Kind, opened.SubjectUserId));
        Assert.Equal(["kid1", "kid2", "kid3"], opened.MinorUserIds.Order());
    }
}
