using StackExchange.Redis;

namespace Chatroom.Redis;

/// <summary>
/// What the ports need from StackExchange.Redis beyond the connection string; applied through
/// Aspire's <c>configureOptions</c>, and by the tests and the benchmark to their own multiplexers.
/// </summary>
public static class RedisConnectionConfiguration
{
    /// <summary>Parses an Aspire-style connection string and applies <see cref="Apply"/>.</summary>
    public static ConfigurationOptions Create(string connectionString, RedisBackendOptions? backend = null)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        Apply(options, backend ?? new RedisBackendOptions());
        return options;
    }

    public static void Apply(ConfigurationOptions options, RedisBackendOptions backend)
    {
        // A process starts while Redis is down and connects when it comes up; until then commands fail at once
        // (backend_unavailable) instead of queueing in the library's backlog until they time out.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;

        // Reconnect soon after a restart (first retry after 100 ms, backing off to 5 s), like the old client.
        options.ReconnectRetryPolicy = new ExponentialRetry(100, 5_000);

        if (!string.IsNullOrWhiteSpace(backend.CaCertificateFile))
        {
            // Only chain errors are forgiven, and only for a chain ending at this CA; a wrong host name still fails.
            options.TrustIssuer(backend.CaCertificateFile);
        }
    }

    /// <summary>Connects one multiplexer with <see cref="Create"/>'s options (tests and the benchmark; services use Aspire's).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString, RedisBackendOptions? backend = null, TextWriter? log = null) =>
        await ConnectionMultiplexer.ConnectAsync(Create(connectionString, backend), log);
}
