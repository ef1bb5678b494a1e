using StackExchange.Redis;

namespace Chatroom.Redis;

/// <summary>
/// What the ports need from StackExchange.Redis beyond the connection string; applied through
/// Aspire's <c>configureSettings</c>/<c>configureOptions</c>, and by the tests and the benchmark to their own multiplexers.
/// </summary>
public static class RedisConnectionConfiguration
{
    /// <summary>
    /// The connection string option naming a private CA's PEM file. StackExchange.Redis has no such option (it would
    /// refuse the string), so it is taken out before the library parses the rest; deployments (the Helm chart) write it.
    /// </summary>
    public const string CaFileOption = "sslCaFile";

    /// <summary>Parses an Aspire-style connection string (with an optional <c>sslCaFile=</c>) and applies <see cref="Apply"/>.</summary>
    public static ConfigurationOptions Create(string connectionString, RedisBackendOptions? backend = null)
    {
        var (rest, caFile) = TakeCaFile(connectionString);
        var options = ConfigurationOptions.Parse(rest);
        Apply(options, backend ?? new RedisBackendOptions(), caFile);
        return options;
    }

    /// <summary>
    /// Sets what the ports rely on. The CA is <see cref="RedisBackendOptions.CaCertificateFile"/>, else the
    /// connection string's <c>sslCaFile</c> (<paramref name="connectionStringCaFile"/>).
    /// </summary>
    public static void Apply(ConfigurationOptions options, RedisBackendOptions backend, string? connectionStringCaFile = null)
    {
        // A process starts while Redis is down and connects when it comes up; until then commands fail at once
        // (backend_unavailable) instead of queueing in the library's backlog until they time out.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;

        // Reconnect soon after a restart (first retry after 100 ms, backing off to 5 s), like the old client.
        options.ReconnectRetryPolicy = new ExponentialRetry(100, 5_000);
        // Replies are read and their continuations run on the .NET thread pool, as everything else in the process:
        // the library's dedicated socket threads cost ~8 % more CPU per delivery on two cores (docs/benchmarks.md).
        if (!backend.DedicatedSocketThreads)
        {
            options.SocketManager = SocketManager.ThreadPool;
        }

        var caFile = string.IsNullOrWhiteSpace(backend.CaCertificateFile) ? connectionStringCaFile : backend.CaCertificateFile;
        if (!string.IsNullOrWhiteSpace(caFile))
        {
            // Only chain errors are forgiven, and only for a chain ending at this CA; a wrong host name still fails.
            options.TrustIssuer(caFile);
        }
    }

    /// <summary>Splits <c>sslCaFile=…</c> (any case) off a StackExchange.Redis connection string.</summary>
    public static (string ConnectionString, string? CaFile) TakeCaFile(string connectionString)
    {
        string? caFile = null;
        var kept = new List<string>();
        foreach (var part in connectionString.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq].Trim().Equals(CaFileOption, StringComparison.OrdinalIgnoreCase))
            {
                caFile = part[(eq + 1)..].Trim();
                if (caFile.Length == 0)
                {
                    throw new ArgumentException($"Option '{CaFileOption}' needs a file path.", nameof(connectionString));
                }
            }
            else
            {
                kept.Add(part);
            }
        }

        return (string.Join(',', kept), caFile);
    }

    /// <summary>Connects one multiplexer with <see cref="Create"/>'s options (tests and the benchmark; services use Aspire's).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString, RedisBackendOptions? backend = null, TextWriter? log = null) =>
        await ConnectionMultiplexer.ConnectAsync(Create(connectionString, backend), log);
}
