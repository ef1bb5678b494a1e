using System.Security.Cryptography;
using Chatroom.Api.Auth;
using Chatroom.Core.Auth;
using Chatroom.Core.Embedded;

namespace Chatroom.Standalone;

/// <summary>
/// Secrets a one-process deployment can make for itself: the token signing key (kept in the data folder,
/// so tokens survive a restart) and, when none is configured, an admin password printed once at start-up.
/// </summary>
internal static partial class StandaloneSecrets
{
    public static string? Apply(IHostApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration[$"{EmbeddedOptions.Section}:{nameof(EmbeddedOptions.DataDirectory)}"] ?? "data";
        var values = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.SigningKey)}"]))
        {
            values[$"{AuthOptions.Section}:{nameof(AuthOptions.SigningKey)}"] = LoadOrCreateKey(Path.Combine(dataDirectory, "signing.key"));
        }

        string? generatedPassword = null;
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{AdminOptions.Section}:{nameof(AdminOptions.Password)}"]))
        {
            generatedPassword = RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
            values[$"{AdminOptions.Section}:{nameof(AdminOptions.Password)}"] = generatedPassword;
        }

        builder.Configuration.AddInMemoryCollection(values);
        return generatedPassword;
    }

    private static string LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(key);
        }

        return key;
    }

    /// <summary>Prints the generated admin password once, when the host has started.</summary>
    internal sealed partial class AnnouncePassword(string password, ILogger<AnnouncePassword> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogPassword(logger, password);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
            Message = "No Chatroom:Admin:Password is configured; this run's admin password is {Password} (set Chatroom__Admin__Password to choose one)")]
        private static partial void LogPassword(ILogger logger, string password);
    }
}
