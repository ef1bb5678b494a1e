using Chatroom.Core.Bridges;
using Chatroom.Embedded.Bridges;
using Chatroom.Embedded.Tests.Contracts;
using Chatroom.Testing.Contracts;

namespace Chatroom.Embedded.Tests.Bridges;

public sealed class SqliteBridgeStoreContract : BridgeStoreContract
{
    private readonly TemporaryDatabase _database = new();

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override async Task<IBridgeStore> CreateStoreAsync() => new SqliteBridgeStore(await _database.OpenAsync(), TimeProvider.System);
}
