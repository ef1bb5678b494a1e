namespace Chatroom.AppHost.Milvus;

/// <summary>
/// Milvus standalone (embedded etcd, local storage) as a container with a generated root password, modelled by hand
/// because Aspire.Hosting.Milvus is not available here. The services reach it over its REST API v2 on the same port.
/// </summary>
public static class MilvusResourceExtensions
{
    public const string Image = "milvusdb/milvus";
    // v2.6.0 hit microsoft/aspire#11184; Aspire's own integration stays on 2.5.
    public const string Tag = "v2.5.27";
    public const string DataVolume = "chatroom-milvus-data";

    /// <summary>The server (named <c>{name}-server</c>) and a connection string <c>Endpoint=…;Key=root:…</c> named <paramref name="name"/>.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddMilvusContainer(this IDistributedApplicationBuilder builder, string name)
    {
        // Letters and digits only, so the key never breaks the connection string's ';' and '=' syntax.
        var key = builder.AddParameter($"{name}-key", new GenerateParameterDefault { MinLength = 22, Special = false }, secret: true, persist: true);
        var server = builder.AddContainer($"{name}-server", Image, Tag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: 19530, name: "grpc")
            .WithEndpoint("grpc", e => e.Transport = "http2")
            .WithHttpEndpoint(targetPort: 9091, name: "health")
            .WithEnvironment("COMMON_STORAGETYPE", "local")
            .WithEnvironment("ETCD_USE_EMBED", "true")
            .WithEnvironment("ETCD_DATA_DIR", "/var/lib/milvus/etcd")
            .WithEnvironment("COMMON_SECURITY_AUTHORIZATIONENABLED", "true")
            .WithEnvironment("COMMON_SECURITY_DEFAULTROOTPASSWORD", key)
            .WithVolume(DataVolume, "/var/lib/milvus")
            .WithArgs("milvus", "run", "standalone")
            .WithHttpHealthCheck("/healthz", endpointName: "health");

        return builder.AddConnectionString(name, ReferenceExpression.Create($"Endpoint={server.GetEndpoint("grpc")};Key=root:{key}"))
            .WaitFor(server);
    }
}
