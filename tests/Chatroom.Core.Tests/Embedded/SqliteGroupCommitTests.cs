using Chatroom.Core.Embedded;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;
using Chatroom.Core.Tests.Contracts;

namespace Chatroom.Core.Tests.Embedded;

/// <summary>Group commit: writes that share a transaction still succeed or fail one by one.</summary>
public sealed class SqliteGroupCommitTests : IAsyncLifetime
{
    private readonly TemporaryDatabase _database = new();
    private SqliteRoomStore _rooms = null!;
    private SqliteMessageLog _log = null!;

    public async Task InitializeAsync()
    {
        var database = await _database.OpenAsync();
        _rooms = new SqliteRoomStore(database, new RoomStateCache());
        _log = new SqliteMessageLog(database);
        await _rooms.TryCreateAsync(new Room("busy", null, "u1", DateTimeOffset.UnixEpoch), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task AFailingWriteInABurstLeavesTheOthersStoredWithGaplessIds()
    {
        var sends = Enumerable.Range(0, 300)
            .Select(i => Append(i % 10 == 0 ? "no-such-room" : "busy", $"m{i}", clientId: $"c{i}"))
            .ToList();

        var results = await Task.WhenAll(sends.Select(async s =>
        {
            try
            {
                return (Stored: (await s).Message, Error: (ChatException?)null);
            }
            catch (ChatException e)
            {
                return (Stored: (ChatMessage?)null, Error: e);
            }
        }));

        Assert.Equal(30, results.Count(r => r.Error?.Code == ErrorCodes.UnknownRoom));
        var stored = results.Where(r => r.Stored is not null).Select(r => r.Stored!).ToList();
        Assert.Equal(Enumerable.Range(1, 270).Select(i => (long)i), stored.Select(m => m.Id).Order());
        var log = await _log.ReadAsync("busy", new MessageQuery(null, 0, 1000), CancellationToken.None);
        Assert.Equal(stored.OrderBy(m => m.Id).Select(m => (m.Id, m.Text)), log.Select(m => (m.Id, m.Text)));
    }

    [Fact]
    public async Task ARetryInTheSameBurstIsRecognisedAsADuplicate()
    {
        var first = Append("busy", "hello", clientId: "same");
        var retry = Append("busy", "hello", clientId: "same");

        var results = await Task.WhenAll(first, retry);

        Assert.Equal(results[0].Message.Id, results[1].Message.Id);
        Assert.Equal(1, results.Count(r => r.Duplicate));
        Assert.Single(await _log.ReadAsync("busy", new MessageQuery(null, 0, 10), CancellationToken.None));
    }

    [Fact]
    public async Task AWriteCancelledBeforeItRunsIsNotStored()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _log.AppendAsync(new NewMessage("busy", "u1", "Ana", MessageKind.User, "never", "gone"), DateTimeOffset.UtcNow, cancelled.Token));
        var stored = await Append("busy", "after", clientId: null);

        Assert.Equal(1, stored.Message.Id);
        Assert.Single(await _log.ReadAsync("busy", new MessageQuery(null, 0, 10), CancellationToken.None));
    }

    private Task<AppendResult> Append(string room, string text, string? clientId) =>
        _log.AppendAsync(new NewMessage(room, "u1", "Ana", MessageKind.User, text, clientId), DateTimeOffset.UtcNow, CancellationToken.None);
}
