using Chatroom.Accounts.Bots;
using Chatroom.Accounts.Data;
using Chatroom.Accounts.Email;
using Chatroom.Accounts.Guardians;
using Chatroom.Accounts.Names;
using Chatroom.Accounts.Passkeys;
using Chatroom.Accounts.SignIn;
using Chatroom.Accounts.Staff;
using Chatroom.Accounts.Tokens;
using Chatroom.Accounts.TwoFactor;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts;

public static class ChatAccountsExtensions
{
    /// <summary>The command-line switch that applies the accounts migrations and exits (the one-shot step on PostgreSQL).</summary>
    public const string MigrateArgument = "--migrate-accounts";

    public const string ConnectionName = "accounts";

    /// <summary>
    /// Accounts on Identity and EF Core: PostgreSQL when <c>ConnectionStrings:accounts</c> is set (Aspire's Npgsql client:
    /// health check, tracing, retries), else SQLite in <c>Chatroom:DataDirectory</c>. Email through SMTP when
    /// <c>Chatroom:Email:Smtp:Host</c> is set, else into <c>outbox/</c> of the data folder.
    /// </summary>
    public static IHostApplicationBuilder AddChatAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccountsOptions>().Bind(builder.Configuration.GetSection(AccountsOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.MinPasswordLength <= o.MaxPasswordLength, "Chatroom:Accounts:MinPasswordLength must not exceed MaxPasswordLength.")
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.RefreshTokenLifetime > o.AccessTokenLifetime,
                "Chatroom:Accounts:AccessTokenLifetime must be positive and shorter than RefreshTokenLifetime.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicUrl) || Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out _),
                "Chatroom:Accounts:PublicUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(builder.Configuration.GetSection(EmailOptions.Section))
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.From, out _), "Chatroom:Email:From must be an email address.")
            .ValidateOnStart();
        services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.Section))
            .Validate(o => string.IsNullOrEmpty(o.Password) || o.Password.Trim().Length == o.Password.Length,
                "Chatroom:Admin:Password must not begin or end with white space (a line break copied from a secret file?): nobody could sign in with it.")
            .Validate(o => new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(o.Email), "Chatroom:Admin:Email must be an email address.")
            .ValidateOnStart();
        services.AddOptions<PasskeyOptions>().Bind(builder.Configuration.GetSection(PasskeyOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.CeremonyLifetime > TimeSpan.Zero && o.CeremonyLifetime <= TimeSpan.FromMinutes(5),
                "Chatroom:Auth:Passkeys:CeremonyLifetime must be positive and at most 00:05:00.")
            .Validate(o => string.IsNullOrWhiteSpace(o.ServerDomain) || Uri.CheckHostName(o.ServerDomain) != UriHostNameType.Unknown,
                "Chatroom:Auth:Passkeys:ServerDomain must be a host name (chat.example.com), without scheme, port or path.")
            .Validate(o => o.AllowedOrigins.All(IsOrigin),
                "Chatroom:Auth:Passkeys:AllowedOrigins must be origins: http(s)://host[:port], without a path.")
            .ValidateOnStart();
        services.AddOptions<GuardianOptions>().Bind(builder.Configuration.GetSection(GuardianOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.ConsentLinkLifetime > TimeSpan.Zero && o.ConsentLinkLifetime <= TimeSpan.FromDays(30),
                "Chatroom:Safety:ConsentLinkLifetime must be positive and at most 30 days.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var dataDirectory = builder.Configuration["Chatroom:DataDirectory"] ?? "data";
        var postgres = builder.Configuration.GetConnectionString(ConnectionName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            builder.AddNpgsqlDbContext<PostgresAccountsDb>(ConnectionName);
            services.AddScoped<AccountsDb>(sp => sp.GetRequiredService<PostgresAccountsDb>());
        }
        else
        {
            var path = Path.GetFullPath(Path.Combine(dataDirectory, "accounts.db"));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            services.AddDbContext<AccountsDb, SqliteAccountsDb>(o => o.UseSqlite($"Data Source={path}"));
        }

        services.AddHostedService(sp => new AccountsMigrator(sp.GetRequiredService<IServiceScopeFactory>(), migrate: string.IsNullOrWhiteSpace(postgres),
            sp.GetRequiredService<ILogger<AccountsMigrator>>()));

        // After the migrator: hosted services start in the order they were added.
        services.AddHostedService<AdminBootstrap>();

        services.AddSingleton<ILookupNormalizer, AccountNameNormalizer>();
        services.AddIdentityCore<ChatUser>(o =>
            {
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                o.ClaimsIdentity.UserIdClaimType = Core.Auth.ChatClaims.Subject;
                o.User.RequireUniqueEmail = true;
                // AccountRules decides which characters a user name may hold (letters of every script); Identity's list is ASCII.
                o.User.AllowedUserNameCharacters = string.Empty;
                o.SignIn.RequireConfirmedEmail = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Tokens.EmailConfirmationTokenProvider = DatabaseTokenProvider.Name;
                o.Tokens.PasswordResetTokenProvider = DatabaseTokenProvider.Name;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AccountsDb>()
            .AddTokenProvider<DatabaseTokenProvider>(DatabaseTokenProvider.Name);
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountsOptions>>((identity, accounts) =>
        {
            identity.Password.RequiredLength = accounts.Value.MinPasswordLength;
            identity.Lockout.MaxFailedAccessAttempts = accounts.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = accounts.Value.LockoutDuration;
            identity.Lockout.AllowedForNewUsers = true;
        });

        services.AddOptions<IdentityPasskeyOptions>().Configure<IOptions<PasskeyOptions>>((identity, passkeys) =>
        {
            var settings = passkeys.Value;
            identity.ServerDomain = string.IsNullOrWhiteSpace(settings.ServerDomain) ? null : settings.ServerDomain.Trim();

            // Required, so every passkey sign-in proves two factors (possession and the device's PIN or biometrics).
            identity.UserVerificationRequirement = "required";

            // Sign-in offers no list of credentials (it would tell whether a name exists), so passkeys must be discoverable.
            identity.ResidentKeyRequirement = "required";
            identity.AuthenticatorTimeout = settings.CeremonyLifetime;
            identity.ValidateOrigin = context => ValueTask.FromResult(PasskeyService.IsAllowedOrigin(settings, context));
        });
        services.AddScoped<IPasskeyHandler<ChatUser>, PasskeyHandler<ChatUser>>();

        services.AddSingleton(sp =>
        {
            var smtp = sp.GetRequiredService<IOptions<EmailOptions>>().Value.Smtp;
            return string.IsNullOrWhiteSpace(smtp.Host)
                ? (IAccountEmailSender)new OutboxEmailSender(Path.GetFullPath(Path.Combine(dataDirectory, "outbox")),
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OutboxEmailSender>>())
                : ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp);
        });
        services.AddScoped<AccountEmails>();
        services.AddScoped<AccountSessions>();
        services.AddScoped<AccountModeration>();
        services.AddScoped<RegisteredNames>();
        services.AddSingleton<AccountSockets>();
        services.AddSingleton<StaffRules>();
        services.AddScoped<AccountService>();
        services.AddScoped<SignInChecks>();
        services.AddScoped<PasskeyService>();
        services.AddScoped<AccountDirectory>();
        services.AddScoped<AccountProfiles>();
        services.AddScoped<GuardianService>();
        services.AddScoped<ParticipantProjection>();
        services.AddScoped<TotpVerifier>();
        services.AddScoped<TwoFactorService>();
        services.AddSingleton<SignInLimiter>();
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, AccountTokenValidation>();
        services.AddScoped<BotService>();
        services.AddScoped<Core.Auth.IBotTokenExchange>(sp => sp.GetRequiredService<BotService>());
        services.AddScoped<IncomingWebhookService>();
        return builder;
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var origin) && (origin.Scheme == Uri.UriSchemeHttps || origin.Scheme == Uri.UriSchemeHttp)
        && origin.AbsolutePath == "/" && string.IsNullOrEmpty(origin.Query) && string.IsNullOrEmpty(origin.Fragment) && string.IsNullOrEmpty(origin.UserInfo);

    /// <summary>Applies the accounts migrations (the <c>--migrate-accounts</c> step): run once, by one process, before replicas start.</summary>
    public static async Task MigrateAccountsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDb>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChatAccountsExtensions).FullName!)
            .LogInformation(new EventId(4131, "AccountsMigrated"), "Accounts database migrated: {Count} migrations applied", pending.Count);
    }
}
