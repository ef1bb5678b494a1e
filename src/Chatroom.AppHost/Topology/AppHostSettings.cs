using Microsoft.Extensions.Configuration;

namespace Chatroom.AppHost.Topology;

/// <summary>
/// The AppHost's switches, read from its configuration (command line <c>--Ollama:Mode=none</c>, environment
/// <c>Ollama__Mode=none</c>, user secrets or appsettings). Defaults suit a laptop with Docker and no GPU.
/// </summary>
public sealed record AppHostSettings(
    BackendMode Redis,
    BackendMode Ollama,
    BackendMode Milvus,
    BackendMode Postgres,
    bool OllamaGpu,
    bool Podman,
    string AnalysisModel,
    string ReasoningModel,
    int SocketServerReplicas,
    string? SafetyModel = AppHostSettings.DefaultSafetyModel,
    string? PolicyModel = null)
{
    public const string DefaultAnalysisModel = "qwen2.5:1.5b";
    public const string DefaultReasoningModel = "qwen2.5:7b";

    /// <summary>The safety judge's model: Llama Guard 3 1B, about 1.6 GB (Q8_0), beside the analysis model on a small GPU or a CPU.</summary>
    public const string DefaultSafetyModel = "llama-guard3:1b";

    /// <summary>The value of <c>Ollama:SafetyModel</c> or <c>Ollama:PolicyModel</c> that turns the model off.</summary>
    public const string NoModel = "none";

    public static AppHostSettings From(IConfiguration configuration)
    {
        // Chatroom:Containers=false runs no container at all: a backend with a connection string in the
        // AppHost's configuration is used as it is, any other falls back to embedded.
        var containers = configuration.GetValue("Chatroom:Containers", true);

        var settings = new AppHostSettings(
            Mode(configuration, "Redis", "redis", containers, "container", "existing", "none"),
            Mode(configuration, "Ollama", "analysis-model", containers, "container", "external", "none"),
            Mode(configuration, "Milvus", "milvus", containers, "container", "existing", "none"),
            // Accounts: none keeps them in each API's SQLite file (fine for one API process, the AppHost's usual case).
            Mode(configuration, "Postgres", "accounts", containers, "container", "existing", "none"),
            configuration.GetValue("Ollama:Gpu", false),
            string.Equals(configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"], "podman", StringComparison.OrdinalIgnoreCase),
            configuration["Ollama:AnalysisModel"] is { Length: > 0 } analysis ? analysis : DefaultAnalysisModel,
            configuration["Ollama:ReasoningModel"] is { Length: > 0 } reasoning ? reasoning : DefaultReasoningModel,
            configuration.GetValue("SocketServer:Replicas", 2),
            // The safety judge is on by default (Ollama:SafetyModel=none turns it off); the 14 GB policy model only when asked for.
            OptionalModel(configuration["Ollama:SafetyModel"], DefaultSafetyModel),
            OptionalModel(configuration["Ollama:PolicyModel"], null));

        if (settings.SocketServerReplicas is < 1 or > 16)
        {
            throw new InvalidOperationException($"SocketServer:Replicas must be between 1 and 16 (was {settings.SocketServerReplicas}).");
        }

        if (!containers && (settings.Redis == BackendMode.Container || settings.Ollama == BackendMode.Container || settings.Milvus == BackendMode.Container
            || settings.Postgres == BackendMode.Container))
        {
            throw new InvalidOperationException("Chatroom:Containers=false runs no container, yet a backend's Mode is 'container'.");
        }

        Require(configuration, settings.Redis, "redis", "Redis:Mode=existing");
        Require(configuration, settings.Milvus, "milvus", "Milvus:Mode=existing");
        Require(configuration, settings.Postgres, "accounts", "Postgres:Mode=existing");
        Require(configuration, settings.Ollama, "analysis-model", "Ollama:Mode=external");
        Require(configuration, settings.Ollama, "reasoning-model", "Ollama:Mode=external");
        return settings;
    }

    private static string? OptionalModel(string? value, string? fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback : value.Equals(NoModel, StringComparison.OrdinalIgnoreCase) ? null : value.Trim();

    private static BackendMode Mode(IConfiguration configuration, string section, string connectionName, bool containers,
        string container, string existing, string none)
    {
        var value = configuration[$"{section}:Mode"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return containers ? BackendMode.Container
                : string.IsNullOrWhiteSpace(configuration.GetConnectionString(connectionName)) ? BackendMode.None : BackendMode.Existing;
        }

        if (value.Equals(container, StringComparison.OrdinalIgnoreCase))
        {
            return BackendMode.Container;
        }

        if (value.Equals(existing, StringComparison.OrdinalIgnoreCase))
        {
            return BackendMode.Existing;
        }

        return value.Equals(none, StringComparison.OrdinalIgnoreCase)
            ? BackendMode.None
            : throw new InvalidOperationException($"{section}:Mode must be {container}, {existing} or {none} (was '{value}').");
    }

    private static void Require(IConfiguration configuration, BackendMode mode, string connectionName, string switchName)
    {
        if (mode == BackendMode.Existing && string.IsNullOrWhiteSpace(configuration.GetConnectionString(connectionName)))
        {
            throw new InvalidOperationException(
                $"{switchName} needs ConnectionStrings:{connectionName} in the AppHost's configuration (for example the environment variable ConnectionStrings__{connectionName}).");
        }
    }
}
