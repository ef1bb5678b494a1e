namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Milvus's connection string, <c>ConnectionStrings:milvus</c>: <c>Endpoint=http://host:19530;Key=root:Milvus;Database=default</c>.
/// <c>Key</c> is the token sent as <c>Authorization: Bearer</c> (<c>user:password</c>, or an API key); leave it out when
/// authentication is off.
/// </summary>
public sealed record MilvusConnection(Uri Endpoint, string? Token, string Database)
{
    public const string ConnectionStringName = "milvus";
    public const string DefaultDatabase = "default";

    public static MilvusConnection Parse(string connectionString)
    {
        var builder = ConnectionStrings.Read(ConnectionStringName, connectionString);
        var endpoint = ConnectionStrings.Endpoint(ConnectionStringName, builder, "Endpoint=http://host:19530");
        var token = ConnectionStrings.Get(builder, "Key") ?? ConnectionStrings.Get(builder, "Token");
        return new MilvusConnection(endpoint, token, ConnectionStrings.Get(builder, "Database") ?? DefaultDatabase);
    }

    /// <summary>Without the token: safe to log.</summary>
    public override string ToString() => $"Endpoint={Endpoint};Database={Database}";
}
