using Chatroom.Testing.Postgres;

namespace Chatroom.Accounts.Tests;

/// <summary>On PostgreSQL the API never migrates by itself (several replicas may start at once); it refuses to start until the one-shot step ran.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task ApiOnAnUnmigratedPostgres_RefusesToStart_AndStartsAfterTheMigrationStep()
    {
        await using var server = await PostgresServer.StartAsync();
        var connection = server.ConnectionString("unmigrated");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await StartWithoutMigrationAsync(connection));
        Assert.Contains("--migrate-accounts", error.Message, StringComparison.Ordinal);

        await using var host = await AccountsHost.StartAsync(connection);
        await TestAccount.New().RegisterConfirmAndSignInAsync(host);
    }

    private static async Task StartWithoutMigrationAsync(string connection)
    {
        await using var host = await AccountsHost.StartAsync(connection, migrate: false);
    }
}
