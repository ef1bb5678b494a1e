namespace Chatroom.AppHost.Topology;

/// <summary>
/// The backends the services reference; null where a backend is not used (the services then run embedded).
/// <paramref name="Accounts"/> is the PostgreSQL database of accounts (connection string <c>accounts</c>), and
/// <paramref name="AccountsMigration"/> the one-shot step that applies its migrations before the API starts.
/// <paramref name="SafetyModel"/> and <paramref name="PolicyModel"/> are the moderation's safety judge and policy reviewer, when used.
/// </summary>
public sealed record ChatBackends(
    IResourceBuilder<IResourceWithConnectionString>? Redis,
    IResourceBuilder<IResourceWithConnectionString>? AnalysisModel,
    IResourceBuilder<IResourceWithConnectionString>? ReasoningModel,
    IResourceBuilder<IResourceWithConnectionString>? Milvus,
    IResourceBuilder<IResourceWithConnectionString>? Accounts,
    IResourceBuilder<ProjectResource>? AccountsMigration,
    IResourceBuilder<IResourceWithConnectionString>? SafetyModel = null,
    IResourceBuilder<IResourceWithConnectionString>? PolicyModel = null);

/// <summary>Secrets every service shares: the token signing key and the admin password.</summary>
public sealed record ChatSecrets(IResourceBuilder<ParameterResource> SigningKey, IResourceBuilder<ParameterResource> AdminPassword);
