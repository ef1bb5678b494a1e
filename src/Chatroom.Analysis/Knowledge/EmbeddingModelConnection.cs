using System.Data.Common;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// The embedding model's connection string, <c>ConnectionStrings:embedding-model</c>, in the form Aspire's Ollama model
/// resources inject: <c>Endpoint=http://host:11434;Model=nomic-embed-text</c>, plus <c>Provider=openai;Key=…</c> for an
/// OpenAI-compatible server (whose Endpoint then includes <c>/v1</c>).
/// </summary>
public sealed record EmbeddingModelConnection(Uri Endpoint, string Model, string Provider, string? Key)
{
    public const string ConnectionStringName = "embedding-model";
    public const string Ollama = "ollama";
    public const string OpenAi = "openai";

    public bool IsOpenAi => Provider == OpenAi;

    public static EmbeddingModelConnection Parse(string connectionString)
    {
        var builder = ConnectionStrings.Read(ConnectionStringName, connectionString);
        var endpoint = ConnectionStrings.Endpoint(ConnectionStringName, builder, "Endpoint=http://host:11434");
        var model = ConnectionStrings.Get(builder, "Model")
            ?? throw new FormatException($"The {ConnectionStringName} connection string needs Model=name (e.g. nomic-embed-text).");
        var provider = (ConnectionStrings.Get(builder, "Provider") ?? Ollama).ToLowerInvariant();
        if (provider is not (Ollama or OpenAi))
        {
            throw new FormatException($"Unknown {ConnectionStringName} provider '{provider}' (use ollama or openai).");
        }

        return new EmbeddingModelConnection(endpoint, model, provider, ConnectionStrings.Get(builder, "Key") ?? ConnectionStrings.Get(builder, "AccessKey"));
    }

    /// <summary>Without the key: safe to log.</summary>
    public override string ToString() => $"Endpoint={Endpoint};Model={Model};Provider={Provider}";
}

/// <summary>Reading <c>Key=value;…</c> connection strings with errors that name the connection string.</summary>
internal static class ConnectionStrings
{
    public static DbConnectionStringBuilder Read(string name, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException($"The {name} connection string is empty.");
        }

        try
        {
            return new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"The {name} connection string is malformed: {ex.Message}", ex);
        }
    }

    /// <summary>The <c>Endpoint</c>, ending in a slash so relative paths append to it.</summary>
    public static Uri Endpoint(string name, DbConnectionStringBuilder builder, string example)
    {
        var text = Get(builder, "Endpoint");
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new FormatException($"The {name} connection string needs {example} (http or https).");
        }

        return endpoint.AbsolutePath.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    }

    public static string? Get(DbConnectionStringBuilder builder, string key) =>
        builder.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } text ? text.Trim() : null;
}
