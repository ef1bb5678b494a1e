using Microsoft.Extensions.Configuration;

namespace Chatroom.ServiceDefaults.Telemetry;

/// <summary>
/// One name per running process (issue 25): the <c>service.instance.id</c> of its traces, logs and metrics and the
/// <c>node</c> a socket server answers JoinRoom with. Aspire gives each replica its name in
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> (<c>service.instance.id=…</c>), which its dashboard shows and matches telemetry by;
/// without it, the process makes up one.
/// </summary>
public static class ServiceInstance
{
    /// <summary>The configuration key that names a socket node outright (docs/configuration.md).</summary>
    public const string NodeIdKey = "Chatroom:Sockets:NodeId";

    private const string InstanceIdAttribute = "service.instance.id";

    /// <summary>
    /// <c>Chatroom:Sockets:NodeId</c> when set, else the replica's name in the Aspire dashboard (see
    /// <see cref="ReplicaName"/>), else a name made up once per host (the machine and a random suffix, as node ids always
    /// were) and kept in that host's configuration, so its telemetry and its socket node agree. Per host, not per
    /// process: tests run several socket hosts in one process, and each must be a node of its own.
    /// </summary>
    public static string Name(IConfiguration configuration)
    {
        if ((NonBlank(configuration[NodeIdKey]) ?? ReplicaName(configuration)) is { } name)
        {
            return name;
        }

        var made = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..6]}";
        configuration[NodeIdKey] = made;
        return made;
    }

    /// <summary>
    /// The <c>service.instance.id</c> telemetry carries: the one the environment gives (the dashboard matches the
    /// replica's telemetry by it, so it is kept as given), else <see cref="Name"/>.
    /// </summary>
    public static string TelemetryInstanceId(IConfiguration configuration) =>
        FromResourceAttributes(configuration["OTEL_RESOURCE_ATTRIBUTES"]) ?? Name(configuration);

    /// <summary>
    /// The name the dashboard lists a replica under: <c>OTEL_SERVICE_NAME</c> and the instance id DCP gives it
    /// (<c>socketserver-abcd1234</c>), or the instance id alone when it already starts with the service name; null
    /// outside Aspire.
    /// </summary>
    internal static string? ReplicaName(IConfiguration configuration)
    {
        var instance = FromResourceAttributes(configuration["OTEL_RESOURCE_ATTRIBUTES"]);
        var service = NonBlank(configuration["OTEL_SERVICE_NAME"]);
        return instance is null || service is null || instance.StartsWith(service + "-", StringComparison.Ordinal)
            ? instance
            : $"{service}-{instance}";
    }

    /// <summary>
    /// <c>service.instance.id</c> from the specification's <c>key1=value1,key2=value2</c> list (values percent-encoded),
    /// or null.
    /// </summary>
    internal static string? FromResourceAttributes(string? attributes)
    {
        if (string.IsNullOrWhiteSpace(attributes))
        {
            return null;
        }

        foreach (var pair in attributes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair[..equals].Trim() == InstanceIdAttribute)
            {
                return NonBlank(Uri.UnescapeDataString(pair[(equals + 1)..].Trim()));
            }
        }

        return null;
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
