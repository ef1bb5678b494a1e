namespace Chatroom.AppHost.Topology;

/// <summary>The backends the services reference; null where a backend is not used (the services then run embedded).</summary>
public sealed record ChatBackends(
    IResourceBuilder<IResourceWithConnectionString>? Redis,
    IResourceBuilder<IResourceWithConnectionString>? AnalysisModel,
    IResourceBuilder<IResourceWithConnectionString>? ReasoningModel,
    IResourceBuilder<IResourceWithConnectionString>? Milvus);

/// <summary>Secrets every service shares: the token signing key and the admin password.</summary>
public sealed record ChatSecrets(IResourceBuilder<ParameterResource> SigningKey, IResourceBuilder<ParameterResource> AdminPassword);
