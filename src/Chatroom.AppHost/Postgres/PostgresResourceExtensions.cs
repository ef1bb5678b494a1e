namespace Chatroom.AppHost.Postgres;

/// <summary>PostgreSQL for accounts: the server container, and the one-shot step that migrates its database.</summary>
public static class PostgresResourceExtensions
{
    /// <summary>
    /// The switch <c>Chatroom.Api</c> applies the accounts migrations with and then exits
    /// (<c>ChatAccountsExtensions.MigrateArgument</c>; the AppHost references the API as a resource, not as an assembly).
    /// </summary>
    public const string MigrateArgument = "--migrate-accounts";

    /// <summary>
    /// Aspire's PostgreSQL container (image and tag from Aspire.Hosting.PostgreSQL) with its data in a named volume.
    /// The password is a parameter of our own that persists in user secrets: PostgreSQL keeps the password it was
    /// initialised with in the volume, so a new one on the next run would lock the services out of their own data.
    /// Letters and digits only, so it can sit in a connection string unquoted.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgresContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var password = builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        return builder.AddPostgres(name, password: password).WithDataVolume("chatroom-postgres-data");
    }

    /// <summary>
    /// The accounts migration as its own resource: the API project run once with <see cref="MigrateArgument"/>, after
    /// the database answers. Whatever uses accounts waits for it to complete, so the migrations run from one process,
    /// never from several replicas at once. It gets only the accounts connection string: it signs nobody in.
    /// Null when accounts stay on SQLite (each process migrates its own file at start).
    /// </summary>
    public static IResourceBuilder<ProjectResource>? AddAccountsMigration(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<IResourceWithConnectionString>? accounts) =>
        accounts is null
            ? null
            : builder.AddProject<Projects.Chatroom_Api>(name)
                .WithArgs(MigrateArgument)
                .WithReference(accounts)
                .WaitFor(accounts);
}
