using Chatroom.Accounts.Bots;
using Chatroom.Accounts.Guardians;
using Chatroom.Accounts.Names;
using Chatroom.Accounts.Passkeys;
using Chatroom.Accounts.Tokens;
using Chatroom.Core.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Chatroom.Accounts.Data;

/// <summary>
/// The accounts store: Identity's tables (schema version 3, so passkeys have theirs) and refresh tokens. One subclass per
/// provider (<see cref="SqliteAccountsDb"/>, <see cref="PostgresAccountsDb"/>) so each keeps its own migrations.
/// </summary>
public abstract class AccountsDb(DbContextOptions options) : IdentityDbContext<ChatUser, IdentityRole, string>(options)
{
    /// <summary>The roles every store has from its first migration.</summary>
    public static readonly string[] RoleNames = [ChatRoles.User, ChatRoles.Moderator, ChatRoles.Admin];

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<PasskeyCeremony> PasskeyCeremonies => Set<PasskeyCeremony>();

    public DbSet<GuardianConsent> GuardianConsents => Set<GuardianConsent>();

    public DbSet<BotAccount> Bots => Set<BotAccount>();

    public DbSet<IncomingWebhook> IncomingWebhooks => Set<IncomingWebhook>();

    /// <summary>The shadow column on Identity's passkeys table saying when a passkey last signed in.</summary>
    public const string PasskeyLastUsedColumn = "LastUsedAtUtc";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ChatUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(64);
            user.Property(u => u.BanReason).HasMaxLength(500);
            user.Property(u => u.GuardianState).HasMaxLength(16).HasDefaultValue(Core.Contacts.GuardianStates.None);
            user.Property(u => u.GuardianUserId).HasMaxLength(64);
            user.Property(u => u.DirectMessages).HasMaxLength(16).HasDefaultValue(Core.Contacts.DirectMessagePolicies.Everyone);
            user.HasIndex(u => u.GuardianUserId);

            // Identity's index on the normalised address, made unique: two sign-ups racing with one address cannot both commit.
            user.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex").IsUnique();
        });
        builder.Entity<RefreshToken>(token =>
        {
            token.ToTable("RefreshTokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).HasMaxLength(32);
            token.Property(t => t.FamilyId).HasMaxLength(32);
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.Property(t => t.UserAgent).HasMaxLength(256);
            token.Property(t => t.Address).HasMaxLength(64);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.FamilyId);
            token.HasIndex(t => t.UserId);
            token.HasOne<ChatUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<IdentityUserPasskey<string>>().Property<DateTime?>(PasskeyLastUsedColumn);
        builder.Entity<PasskeyCeremony>(ceremony =>
        {
            ceremony.ToTable("PasskeyCeremonies");
            ceremony.HasKey(c => c.Id);
            ceremony.Property(c => c.Id).HasMaxLength(64);
            ceremony.Property(c => c.Kind).HasMaxLength(8);
            ceremony.Property(c => c.UserId).HasMaxLength(64);
            ceremony.Property(c => c.State).HasMaxLength(4096);
            ceremony.HasIndex(c => c.ExpiresAtUtc);
        });
        builder.Entity<GuardianConsent>(consent =>
        {
            consent.ToTable("GuardianConsents");
            consent.HasKey(c => c.Id);
            consent.Property(c => c.Id).HasMaxLength(32);
            consent.Property(c => c.MinorUserId).HasMaxLength(64);
            consent.Property(c => c.GuardianEmail).HasMaxLength(256);
            consent.Property(c => c.TokenHash).HasMaxLength(64);
            consent.Property(c => c.Decision).HasMaxLength(16);
            consent.Property(c => c.GuardianUserId).HasMaxLength(64);
            consent.HasIndex(c => c.TokenHash).IsUnique();
            consent.HasIndex(c => new { c.MinorUserId, c.CreatedAtUtc });
            consent.HasOne<ChatUser>().WithMany().HasForeignKey(c => c.MinorUserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<BotAccount>(bot =>
        {
            bot.ToTable("Bots");
            bot.HasKey(b => b.Id);
            bot.Property(b => b.Id).HasMaxLength(32);
            bot.Property(b => b.Name).HasMaxLength(BotService.MaxNameLength);
            bot.Property(b => b.Scopes).HasMaxLength(64);
            bot.Property(b => b.Rooms).HasMaxLength(BotService.MaxRooms * 65);
            bot.Property(b => b.TokenHash).HasMaxLength(64);
            bot.Property(b => b.Stamp).HasMaxLength(32);
            bot.Property(b => b.CreatedBy).HasMaxLength(256);
            bot.Ignore(b => b.UserId);
            bot.HasIndex(b => b.TokenHash).IsUnique();
        });
        builder.Entity<IncomingWebhook>(hook =>
        {
            hook.ToTable("IncomingWebhooks");
            hook.HasKey(h => h.Id);
            hook.Property(h => h.Id).HasMaxLength(32);
            hook.Property(h => h.Name).HasMaxLength(BotService.MaxNameLength);
            hook.Property(h => h.Room).HasMaxLength(64);
            hook.Property(h => h.SecretHash).HasMaxLength(64);
            hook.Property(h => h.CreatedBy).HasMaxLength(256);
            hook.Ignore(h => h.UserId);
        });
        builder.Entity<IdentityRole>().HasData(RoleNames.Select(role => new IdentityRole
        {
            Id = role,
            Name = role,
            NormalizedName = AccountNameNormalizer.Skeleton(role),
            ConcurrencyStamp = role,
        }));
    }
}
