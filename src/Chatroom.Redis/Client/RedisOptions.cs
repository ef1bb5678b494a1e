using System.Globalization;

namespace Chatroom.Redis;

/// <summary>
/// Parsed connection settings. Two forms are read: the one Aspire injects
/// (<c>host:port[,host:port],password=…,user=…,ssl=true,defaultDatabase=N,connectTimeout=ms,syncTimeout=ms</c>,
/// StackExchange.Redis option names) and URIs (<c>redis://[user:password@]host:port[/db]</c>, <c>rediss://</c> for TLS).
/// </summary>
public sealed record RedisOptions
{
    public IReadOnlyList<RedisEndpoint> Endpoints { get; init; } = [];

    public string? User { get; init; }

    public string? Password { get; init; }

    public bool Ssl { get; init; }

    /// <summary>Server name checked against the TLS certificate; the endpoint's host when null.</summary>
    public string? SslHost { get; init; }

    /// <summary>
    /// A PEM file with the certificate authorities that may sign the server's certificate (a private CA),
    /// trusted instead of the system store; the chain and the host name (<see cref="SslHost"/>) are still
    /// checked. Null: the system store decides.
    /// </summary>
    public string? SslCaFile { get; init; }

    /// <summary>Accept any server certificate (self-signed test servers only).</summary>
    public bool AllowUntrustedCertificate { get; init; }

    public int Database { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a command may wait for its reply before it fails with <see cref="RedisTimeoutException"/>.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reconnect backoff: first delay, doubled per failed attempt up to <see cref="ReconnectMaxDelay"/>, with ±50 % jitter.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>RESP3 via HELLO 3 when the server has it; RESP2 otherwise or when false.</summary>
    public bool PreferResp3 { get; init; } = true;

    public string ClientName { get; init; } = "chatroom";

    public static RedisOptions Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var text = connectionString.Trim();
        return text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase)
            ? ParseUri(text)
            : ParseOptionList(text);
    }

    public override string ToString() =>
        $"{string.Join(',', Endpoints)} (db {Database}, ssl {Ssl}, user {User ?? "default"})";

    private static RedisOptions ParseUri(string text)
    {
        var uri = new Uri(text);
        string? user = null;
        string? password = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                user = parts[0].Length == 0 ? null : Uri.UnescapeDataString(parts[0]);
                password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                password = Uri.UnescapeDataString(parts[0]);
            }
        }

        var database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && !int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database))
        {
            throw new FormatException($"The database in a redis:// URI must be a number, not '{path}'.");
        }

        var options = new RedisOptions
        {
            Endpoints = [new RedisEndpoint(uri.IdnHost, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port)],
            User = user,
            Password = password,
            Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase),
            Database = database,
        };

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            options = Apply(options, Uri.UnescapeDataString(kv[0]), kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty);
        }

        return options;
    }

    private static RedisOptions ParseOptionList(string text)
    {
        var options = new RedisOptions();
        var endpoints = new List<RedisEndpoint>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                endpoints.Add(RedisEndpoint.Parse(raw));
                continue;
            }

            options = Apply(options, raw[..eq].Trim(), raw[(eq + 1)..].Trim());
        }

        if (endpoints.Count == 0)
        {
            throw new FormatException("The Redis connection string names no host:port.");
        }

        return options with { Endpoints = endpoints };
    }

    private static RedisOptions Apply(RedisOptions options, string key, string value) => key.ToLowerInvariant() switch
    {
        "password" => options with { Password = value },
        "user" or "username" => options with { User = value },
        "ssl" => options with { Ssl = ParseBool(key, value) },
        "sslhost" => options with { SslHost = value },
        "sslcafile" => options with { SslCaFile = value.Length > 0 ? value : throw new FormatException("Option 'sslCaFile' needs a file path.") },
        "defaultdatabase" or "db" => options with { Database = ParseInt(key, value) },
        "connecttimeout" => options with { ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value)) },
        "synctimeout" or "asynctimeout" or "timeout" => options with { CommandTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value)) },
        "name" => options with { ClientName = value },
        "protocol" => options with { PreferResp3 = !value.Equals("resp2", StringComparison.OrdinalIgnoreCase) && value != "2" },
        // StackExchange.Redis options with no meaning for this client are accepted so Aspire's strings parse.
        "abortconnect" or "allowadmin" or "connectretry" or "keepalive" or "resolvedns" or "tiebreaker" or "version" or "checkcertificaterevocation" => options,
        _ => throw new FormatException($"Unknown Redis connection string option '{key}'."),
    };

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var result) ? result : throw new FormatException($"Option '{key}' must be true or false.");

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) && result >= 0
            ? result
            : throw new FormatException($"Option '{key}' must be a non-negative whole number.");
}

/// <summary>A host and port.</summary>
public sealed record RedisEndpoint(string Host, int Port)
{
    public static RedisEndpoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || text.EndsWith(']'))
        {
            return new RedisEndpoint(text.Trim('[', ']'), 6379);
        }

        return int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new RedisEndpoint(text[..colon].Trim('[', ']'), port)
            : throw new FormatException($"'{text}' is not host:port.");
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
