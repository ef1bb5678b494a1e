namespace Chatroom.Redis;

/// <summary>How the Redis implementations of the ports lay out their keys and bound their data.</summary>
public sealed class RedisBackendOptions
{
    public const string Section = "Chatroom:Redis";

    /// <summary>First part of every key and channel, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "chat";

    /// <summary>Entries kept per room stream (XADD MAXLEN ~); older messages are trimmed.</summary>
    public int MessageLogMaxLength { get; set; } = 100_000;

    /// <summary>How long a client message id is remembered for de-duplication.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Entries kept per dead-letter stream.</summary>
    public int DeadLetterMaxLength { get; set; } = 10_000;

    /// <summary>Entries kept in the moderation audit stream (XADD MAXLEN ~).</summary>
    public int AuditLogMaxLength { get; set; } = 100_000;

    /// <summary>
    /// A PEM file with the certificate authority that signed the server's TLS certificate (a private CA). The
    /// chain must lead to it and the certificate must name the host (or <c>sslHost</c>); null: the system store decides.
    /// </summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>
    /// How long this process may serve a room's state, a ban, a mute or the topic watches from memory without reading
    /// Redis again. Changes are announced and applied at once; this only bounds an announcement that got lost. Zero: no cache.
    /// </summary>
    public TimeSpan StateCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Entries the node state cache holds at most; when full it starts over.</summary>
    public int StateCacheMaxEntries { get; set; } = 100_000;

    /// <summary>
    /// Whether StackExchange.Redis reads and writes its sockets on its own pool of dedicated threads (the library's
    /// default) instead of the .NET thread pool. Off: on a small node the dedicated threads' hand-offs cost more CPU
    /// than they save (docs/benchmarks.md); turn on if a process ever starves its thread pool with blocking work.
    /// </summary>
    public bool DedicatedSocketThreads { get; set; }
}
