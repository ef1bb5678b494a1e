using System.Data.Common;

namespace Chatroom.Analysis.Models;

/// <summary>
/// The analysis model's connection string as Aspire passes it in <c>ConnectionStrings__analysis-model</c>:
/// <c>Endpoint=http://host:11434;Model=name</c>, plus <c>Provider=openai;Key=…</c> for an OpenAI-compatible server.
/// </summary>
public sealed record AnalysisModelConnection(Uri Endpoint, string Model, string Provider, string? Key)
{
    public const string ConnectionStringName = "analysis-model";
    public const string Ollama = "ollama";
    public const string OpenAi = "openai";

    public bool IsOpenAi => string.Equals(Provider, OpenAi, StringComparison.OrdinalIgnoreCase);

    public static AnalysisModelConnection Parse(string connectionString)
    {
        if (!TryParse(connectionString, out var connection, out var error))
        {
            throw new FormatException(error);
        }

        return connection;
    }

    public static bool TryParse(string? connectionString, out AnalysisModelConnection connection, out string error)
    {
        connection = null!;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = "The analysis-model connection string is empty.";
            return false;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException ex)
        {
            error = $"The analysis-model connection string is malformed: {ex.Message}";
            return false;
        }

        var endpointText = Get(builder, "Endpoint");
        if (endpointText is null || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            error = "The analysis-model connection string needs Endpoint=http(s)://host:port.";
            return false;
        }

        var model = Get(builder, "Model");
        if (string.IsNullOrWhiteSpace(model))
        {
            error = "The analysis-model connection string needs Model=name.";
            return false;
        }

        var provider = Get(builder, "Provider") ?? Ollama;
        if (!provider.Equals(Ollama, StringComparison.OrdinalIgnoreCase) && !provider.Equals(OpenAi, StringComparison.OrdinalIgnoreCase))
        {
            error = $"Unknown analysis-model provider '{provider}' (use ollama or openai).";
            return false;
        }

        // Relative paths (api/chat, chat/completions) must append to the endpoint, not replace its last segment.
        if (!endpoint.AbsolutePath.EndsWith('/'))
        {
            endpoint = new Uri(endpoint.AbsoluteUri + "/");
        }

        connection = new AnalysisModelConnection(endpoint, model, provider.ToLowerInvariant(), Get(builder, "Key") ?? Get(builder, "AccessKey"));
        return true;
    }

    public override string ToString() => $"Endpoint={Endpoint};Model={Model};Provider={Provider}";

    private static string? Get(DbConnectionStringBuilder builder, string key) =>
        builder.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } text ? text : null;
}
