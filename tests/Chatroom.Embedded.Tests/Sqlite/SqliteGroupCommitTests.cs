using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;
using Chatroom.Embedded.Messages;
using Chatroom.Embedded.Rooms;
using Chatroom.Embedded.Tests.Contracts;

namespace Chatroom.Embedded.Tests.Sqlite;

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
    public async Task ADiskFullBurstIsRefusedAsStorageFullWithNothingHalfWrittenAndLaterWritesSucceed()
    {
        // SQLite's own page quota fails a write exactly as a full disk does (SQLITE_FULL) without filling a disk.
        await SetMaxPageCountAsync(1);
        var texts = Enumerable.Range(0, 300).Select(i => $"m{i} " + new string('x', 1000)).ToList();

        var results = await Task.WhenAll(texts.Select(async text =>
        {
            try
            {
                return (Text: text, Stored: (await Append("busy", text, clientId: null)).Message, Code: (string?)null);
            }
            catch (ChatException e)
            {
                return (Text: text, Stored: (ChatMessage?)null, Code: e.Code);
            }
        }));

        var refused = results.Where(r => r.Stored is null).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Equal(ErrorCodes.StorageFull, r.Code));
        var stored = results.Where(r => r.Stored is not null).Select(r => r.Stored!).OrderBy(m => m.Id).ToList();
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(m => m.Id));
        var log = await _log.ReadAsync("busy", new MessageQuery(null, 0, 1000), CancellationToken.None);
        Assert.Equal(stored.Select(m => (m.Id, m.Text)), log.Select(m => (m.Id, m.Text)));

        // Space returns: the writer was not poisoned, and the counter goes on from what was stored.
        await SetMaxPageCountAsync(1_000_000);
        var after = await Append("busy", "after the disk was freed", clientId: null);
        Assert.Equal(stored.Count + 1, after.Message.Id);
    }

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

    private Task SetMaxPageCountAsync(long pages) =>
        _database.Database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"PRAGMA max_page_count = {pages}";
            return await command.ExecuteScalarAsync();
        }, CancellationToken.None);

    private Task<AppendResult> Append(string room, string text, string? clientId) =>
        _log.AppendAsync(new NewMessage(room, "u1", "Ana", MessageKind.User, text, clientId), DateTimeOffset.UtcNow, CancellationToken.None);
}
