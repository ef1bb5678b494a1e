using Microsoft.Extensions.Configuration;
using Chatroom.AppHost.Milvus;
using Chatroom.AppHost.Ollama;
using Chatroom.AppHost.Postgres;

namespace Chatroom.AppHost.Topology;

/// <summary>Resource names, and how the backends and services are wired.</summary>
public static class ChatTopologyExtensions
{
    public const string RedisName = "redis";
    public const string AnalysisModelName = "analysis-model";
    public const string ReasoningModelName = "reasoning-model";
    public const string SafetyModelName = "safety-model";
    public const string PolicyModelName = "policy-model";
    public const string MilvusName = "milvus";
    public const string PostgresName = "postgres";
    public const string AccountsName = "accounts";
    public const string AccountsMigrationName = "accounts-migration";
    public const string ApiName = "api";
    public const string SocketServerName = "socketserver";
    public const string AnalysisName = "analysis";
    public const string WebName = "web";
    public const string StandaloneName = "chatroom";

    /// <summary>
    /// The signing key is 64 letters and digits: valid base64 for 48 bytes, which is what
    /// <c>Chatroom:Auth:SigningKey</c> asks for. Both persist in user secrets between runs.
    /// </summary>
    public static ChatSecrets AddChatSecrets(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("signing-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true),
        builder.AddParameter("admin-password", new GenerateParameterDefault { MinLength = 20, Special = false }, secret: true, persist: true));

    public static ChatBackends AddChatBackends(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        IResourceBuilder<IResourceWithConnectionString>? redis = settings.Redis switch
        {
            BackendMode.Container => builder.AddRedis(RedisName).WithDataVolume("chatroom-redis-data"),
            BackendMode.Existing => builder.AddConnectionString(RedisName),
            _ => null,
        };

        IResourceBuilder<IResourceWithConnectionString>? analysisModel = null, reasoningModel = null, safetyModel = null, policyModel = null;
        switch (settings.Ollama)
        {
            case BackendMode.Container:
                var ollama = builder.AddOllamaContainer("ollama", settings.OllamaGpu, settings.Podman);
                analysisModel = ollama.AddOllamaModel(AnalysisModelName, settings.AnalysisModel);
                reasoningModel = ollama.AddOllamaModel(ReasoningModelName, settings.ReasoningModel);
                safetyModel = settings.SafetyModel is { } safety ? ollama.AddOllamaModel(SafetyModelName, safety) : null;
                policyModel = settings.PolicyModel is { } policy ? ollama.AddOllamaModel(PolicyModelName, policy) : null;
                break;
            case BackendMode.Existing:
                analysisModel = builder.AddConnectionString(AnalysisModelName);
                reasoningModel = builder.AddConnectionString(ReasoningModelName);
                // The moderation models are optional on an external server: used when their connection strings are given.
                safetyModel = OptionalConnectionString(builder, SafetyModelName, settings.SafetyModel);
                policyModel = OptionalConnectionString(builder, PolicyModelName, settings.PolicyModel);
                break;
        }

        IResourceBuilder<IResourceWithConnectionString>? milvus = settings.Milvus switch
        {
            BackendMode.Container => builder.AddMilvusContainer(MilvusName),
            BackendMode.Existing => builder.AddConnectionString(MilvusName),
            _ => null,
        };

        IResourceBuilder<IResourceWithConnectionString>? accounts = settings.Postgres switch
        {
            BackendMode.Container => builder.AddPostgresContainer(PostgresName).AddDatabase(AccountsName),
            BackendMode.Existing => builder.AddConnectionString(AccountsName),
            _ => null,
        };

        return new ChatBackends(redis, analysisModel, reasoningModel, milvus, accounts, builder.AddAccountsMigration(AccountsMigrationName, accounts),
            safetyModel, policyModel);
    }

    private static IResourceBuilder<IResourceWithConnectionString>? OptionalConnectionString(IDistributedApplicationBuilder builder, string name, string? model) =>
        model is not null && !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)) ? builder.AddConnectionString(name) : null;

    /// <summary>
    /// The distributed form: API, socket servers (replicated; Redis makes their groups cluster-wide), analysis
    /// and the web front door, which routes <c>/api</c> and <c>/hubs</c> to the others so the browser sees one origin.
    /// </summary>
    public static void AddChatServices(this IDistributedApplicationBuilder builder, AppHostSettings settings, ChatBackends backends, ChatSecrets secrets)
    {
        var api = builder.AddProject<Projects.Chatroom_Api>(ApiName)
            .WithChatDefaults(secrets)
            .WithAdminPassword(secrets)
            .WithBackend(backends.Redis)
            .WithAccounts(backends);

        var sockets = builder.AddProject<Projects.Chatroom_SocketServer>(SocketServerName)
            .WithReplicas(settings.SocketServerReplicas)
            .WithChatDefaults(secrets)
            .WithBackend(backends.Redis);

        var analysis = builder.AddProject<Projects.Chatroom_Analysis>(AnalysisName)
            .WithChatDefaults(secrets)
            .WithBackend(backends.Redis)
            .WithBackend(backends.AnalysisModel)
            .WithBackend(backends.ReasoningModel)
            .WithBackend(backends.SafetyModel)
            .WithBackend(backends.PolicyModel)
            .WithBackend(backends.Milvus);

        builder.AddProject<Projects.Chatroom_Web>(WebName)
            .WithChatDefaults(secrets)
            .WithExternalHttpEndpoints()
            .WithEnvironment("Chatroom__Web__Gateway__Enabled", "true")
            .WithReference(api).WaitFor(api)
            .WithReference(sockets).WaitFor(sockets)
            .WithReference(analysis).WaitFor(analysis);
    }

    /// <summary>Without Redis the services cannot share a bus, so they run together in one process on the embedded backends.</summary>
    public static void AddChatStandalone(this IDistributedApplicationBuilder builder, ChatBackends backends, ChatSecrets secrets) =>
        builder.AddProject<Projects.Chatroom_Standalone>(StandaloneName)
            .WithChatDefaults(secrets)
            .WithAdminPassword(secrets)
            .WithExternalHttpEndpoints()
            .WithAccounts(backends)
            .WithBackend(backends.AnalysisModel)
            .WithBackend(backends.ReasoningModel)
            .WithBackend(backends.Milvus);

    private static IResourceBuilder<ProjectResource> WithChatDefaults(this IResourceBuilder<ProjectResource> project, ChatSecrets secrets) =>
        project
            // The services have no launch profiles, so the endpoint is declared here.
            .WithHttpEndpoint()
            .WithChartProbes()
            .WithEnvironment("Chatroom__Auth__SigningKey", secrets.SigningKey);

    /// <summary>
    /// The probes the Helm chart gives every service (ServiceDefaults maps both paths): /alive while the process
    /// runs, /health once its backends answer. Each probe is also the resource's health check here (WithHttpProbe
    /// adds one per path), so /health still gates WaitFor. Declared here so the chart parity test compares them.
    /// </summary>
#pragma warning disable ASPIREPROBES001 // The probe API is marked for evaluation in 13.6; it is what publishers turn into probes.
    private static IResourceBuilder<ProjectResource> WithChartProbes(this IResourceBuilder<ProjectResource> project) =>
        project
            .WithHttpProbe(ProbeType.Liveness, "/alive")
            .WithHttpProbe(ProbeType.Readiness, "/health");
#pragma warning restore ASPIREPROBES001

    /// <summary>Only the API (alone or inside the standalone process) signs the admin in; the others never get the password.</summary>
    private static IResourceBuilder<ProjectResource> WithAdminPassword(this IResourceBuilder<ProjectResource> project, ChatSecrets secrets) =>
        project.WithEnvironment("Chatroom__Admin__Password", secrets.AdminPassword);

    /// <summary>
    /// Accounts on PostgreSQL: the connection string, and the start only once the migration step has exited with 0
    /// (the API refuses to start while migrations are pending, and never applies them itself: several replicas would).
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithAccounts(this IResourceBuilder<ProjectResource> project, ChatBackends backends) =>
        backends is { Accounts: { } accounts, AccountsMigration: { } migration }
            ? project.WithReference(accounts).WaitForCompletion(migration)
            : project;

    private static IResourceBuilder<ProjectResource> WithBackend(this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString>? backend) =>
        backend is null ? project : project.WithReference(backend).WaitFor(backend);
}
