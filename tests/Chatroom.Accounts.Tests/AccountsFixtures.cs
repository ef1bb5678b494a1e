using Chatroom.Testing.Postgres;

namespace Chatroom.Accounts.Tests;

/// <summary>One API host on SQLite for a test class; each test makes accounts of its own.</summary>
public sealed class SqliteAccountsFixture : IAsyncLifetime
{
    public AccountsHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await AccountsHost.StartAsync(postgres: null);

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

/// <summary>A real PostgreSQL and one API host on it for a test class.</summary>
public sealed class PostgresAccountsFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public AccountsHost Host { get; private set; } = null!;

    /// <summary>The server, for tests that need a database of their own on it.</summary>
    public PostgresServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        Host = await AccountsHost.StartAsync(_server.ConnectionString("accounts"));
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
