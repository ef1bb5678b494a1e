using Chatroom.Accounts.Data;
using Chatroom.Core.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Staff;

/// <summary>
/// Creates the <c>admin</c> account with <c>Chatroom:Admin:Password</c> when there is none, before the server takes
/// requests (after <see cref="AccountsMigrator"/>, which is registered first). Create-if-absent in one transaction, so
/// replicas starting together make one account between them (the fixed id and the unique user name index refuse the
/// second), and a restart never writes over a password the admin changed since.
/// </summary>
internal sealed partial class AdminBootstrap(
    IServiceScopeFactory scopes, IOptions<AdminOptions> options, TimeProvider time, ILogger<AdminBootstrap> logger) : IHostedLifecycleService
{
    /// <summary>The bootstrapped account's id: fixed, so two replicas racing to create it collide on the primary key.</summary>
    public const string AccountId = "admin";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var password = options.Value.Password;
        if (string.IsNullOrEmpty(password))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        if (await ExistsAsync(db, users, cancellationToken))
        {
            return;
        }

        try
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                if (await ExistsAsync(db, users, ct))
                {
                    return;
                }

                var user = new ChatUser
                {
                    Id = AccountId,
                    UserName = AdminOptions.UserName,
                    DisplayName = AdminOptions.UserName,
                    Email = options.Value.Email,
                    EmailConfirmed = true,
                    DateOfBirth = new DateOnly(1970, 1, 1),
                    CreatedAtUtc = time.GetUtcNow().UtcDateTime,
                };

                // Hashed here rather than through the password policy: a deployment's existing admin password keeps working.
                user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
                Check(await users.CreateAsync(user));
                Check(await users.AddToRoleAsync(user, ChatRoles.Admin));
                await transaction.CommitAsync(ct);
                LogCreated(logger, AccountId);
            }, cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            // Another replica created it between our check and our insert; theirs stands.
            if (!await ExistsAsync(db, users, cancellationToken))
            {
                throw;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> ExistsAsync(AccountsDb db, UserManager<ChatUser> users, CancellationToken cancellationToken)
    {
        var normalized = users.NormalizeName(AdminOptions.UserName);
        return await db.Users.AsNoTracking().AnyAsync(u => u.Id == AccountId || u.NormalizedUserName == normalized, cancellationToken);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Creating the admin account failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    [LoggerMessage(EventId = 4140, Level = LogLevel.Information, Message = "Admin account {UserId} created from Chatroom:Admin:Password")]
    private static partial void LogCreated(ILogger logger, string userId);
}
