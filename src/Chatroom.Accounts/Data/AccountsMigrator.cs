using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatroom.Accounts.Data;

/// <summary>
/// Brings the accounts schema up to date before the server takes requests. On SQLite (one process owns the file) it
/// migrates; on PostgreSQL several replicas may start at once, so it only checks and refuses to start while migrations
/// are pending: the one-shot <c>--migrate-accounts</c> step applies them.
/// </summary>
internal sealed partial class AccountsMigrator(IServiceScopeFactory scopes, bool migrate, ILogger<AccountsMigrator> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDb>();
        if (migrate)
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogPending(logger, pending.Count);
            throw new InvalidOperationException(
                $"The accounts database has {pending.Count} pending migrations; run the API once with --migrate-accounts (one process, before the replicas start).");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4130, Level = LogLevel.Critical, Message = "The accounts database has {Count} pending migrations; run with --migrate-accounts")]
    private static partial void LogPending(ILogger logger, int count);
}
