using System.Security.Cryptography;
using Chatroom.Accounts;
using Chatroom.Core.Auth;
using Chatroom.Embedded;

namespace Chatroom.Standalone;

/// <summary>
/// Secrets a one-process deployment can make for itself, each kept in a file of the data folder that only this user
/// can read: the token signing key (so tokens survive a restart) and, when none is configured, the admin password,
/// whose path (never the password) the log gives at start-up.
/// </summary>
internal static partial class StandaloneSecrets
{
    public const string PasswordFile = "admin-password";

    /// <summary>Adds the generated secrets to the configuration; returns the admin password file when the password is generated.</summary>
    public static string? Apply(IHostApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration[$"{EmbeddedOptions.Section}:{nameof(EmbeddedOptions.DataDirectory)}"] ?? "data";
        var values = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.SigningKey)}"]))
        {
            values[$"{AuthOptions.Section}:{nameof(AuthOptions.SigningKey)}"] =
                LoadOrCreate(Path.Combine(dataDirectory, "signing.key"), () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        string? passwordFile = null;
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{AdminOptions.Section}:{nameof(AdminOptions.Password)}"]))
        {
            passwordFile = Path.GetFullPath(Path.Combine(dataDirectory, PasswordFile));
            values[$"{AdminOptions.Section}:{nameof(AdminOptions.Password)}"] = LoadOrCreate(passwordFile,
                () => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20));
        }

        builder.Configuration.AddInMemoryCollection(values);
        return passwordFile;
    }

    /// <summary>The secret in the file, or a new one written to it readable and writable by this user only (0600).</summary>
    private static string LoadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var secret = create();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(secret);
        }

        return secret;
    }

    /// <summary>Says where the generated admin password is, once, when the host has started; logs never carry the password.</summary>
    internal sealed partial class AnnouncePassword(string passwordFile, ILogger<AnnouncePassword> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogPasswordFile(logger, passwordFile);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
            Message = "No Chatroom:Admin:Password is configured; the generated admin password is in {PasswordFile}, readable by this user only (set Chatroom__Admin__Password to choose one)")]
        private static partial void LogPasswordFile(ILogger logger, string passwordFile);
    }
}
