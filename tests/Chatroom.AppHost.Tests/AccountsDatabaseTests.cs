namespace Chatroom.AppHost.Tests;

/// <summary>
/// PostgreSQL for accounts per <c>Postgres:Mode</c>, read from the model without starting anything: the database, the
/// one-shot migration the API waits for, and which process gets the connection string.
/// </summary>
public sealed class AccountsDatabaseTests
{
    private const string ExistingAccounts = "ConnectionStrings:accounts=Host=pg.internal;Port=5432;Database=accounts;Username=chat;Password=secret";

    [Fact]
    public async Task ByDefaultAccountsLiveInAPostgresContainerWithAVolumeAndAPersistentSecretPassword()
    {
        await using var model = await AppHostModel.CreateAsync();

        var server = model.Get<PostgresServerResource>("postgres");
        Assert.Contains(server.Annotations.OfType<ContainerMountAnnotation>(),
            m => m.Source == "chatroom-postgres-data" && m.Target.StartsWith("/var/lib/postgresql", StringComparison.Ordinal));
        var password = model.Get<ParameterResource>("postgres-password");
        Assert.True(password.Secret);
        Assert.Same(password, server.PasswordParameter);

        var accounts = model.Get<PostgresDatabaseResource>("accounts");
        Assert.Equal("accounts", accounts.DatabaseName);
        Assert.Same(server, accounts.Parent);
    }

    [Fact]
    public async Task TheMigrationIsTheApiRunOnceWithMigrateAccountsAfterTheDatabaseAnswers()
    {
        await using var model = await AppHostModel.CreateAsync();

        var migration = model.Get<ProjectResource>("accounts-migration");
        Assert.Equal(model.Get<ProjectResource>("api").GetProjectMetadata().ProjectPath, migration.GetProjectMetadata().ProjectPath);
        Assert.Equal(new[] { "--migrate-accounts" }, await ArgumentsAsync(migration));
        Assert.Equivalent(new[] { "accounts" }, AppHostModel.Waits(migration));

        var env = await AppHostModel.EnvironmentAsync(migration);
        Assert.Equal("{accounts.connectionString}", env["ConnectionStrings__accounts"]);
        // It signs nobody in and serves nothing: no signing key, no admin password, no endpoint.
        Assert.DoesNotContain("Chatroom__Auth__SigningKey", env.Keys);
        Assert.DoesNotContain("Chatroom__Admin__Password", env.Keys);
        Assert.Empty(migration.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(1, migration.GetReplicaCount());
    }

    [Fact]
    public async Task OnlyTheApiGetsAccountsAndItStartsOnlyOnceTheMigrationHasCompleted()
    {
        await using var model = await AppHostModel.CreateAsync();

        var api = model.Get<ProjectResource>("api");
        Assert.Equal("{accounts.connectionString}", (await AppHostModel.EnvironmentAsync(api))["ConnectionStrings__accounts"]);
        var wait = Assert.Single(api.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "accounts-migration");
        Assert.Equal(WaitType.WaitForCompletion, wait.WaitType);
        Assert.Equal(0, wait.ExitCode);

        foreach (var name in new[] { "socketserver", "analysis", "web" })
        {
            var other = model.Get<ProjectResource>(name);
            Assert.DoesNotContain("ConnectionStrings__accounts", (await AppHostModel.EnvironmentAsync(other)).Keys);
            Assert.DoesNotContain("accounts-migration", AppHostModel.Waits(other));
        }
    }

    [Fact]
    public async Task ExistingUsesTheAppHostsConnectionStringAndStillMigratesOnce()
    {
        await using var model = await AppHostModel.CreateAsync("Postgres:Mode=existing", ExistingAccounts);

        Assert.False(model.Has("postgres"));
        Assert.False(model.Has("postgres-password"));
        var accounts = model.Get<IResourceWithConnectionString>("accounts");
        Assert.IsNotType<PostgresDatabaseResource>(accounts);
        Assert.Equal("Host=pg.internal;Port=5432;Database=accounts;Username=chat;Password=secret", await accounts.GetConnectionStringAsync());
        Assert.Equal("{accounts.connectionString}", (await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("accounts-migration")))["ConnectionStrings__accounts"]);
        Assert.Contains("accounts-migration", AppHostModel.Waits(model.Get<ProjectResource>("api")));
    }

    [Fact]
    public async Task NoneLeavesAccountsOnTheApisSqliteFile()
    {
        await using var model = await AppHostModel.CreateAsync("Postgres:Mode=none");

        Assert.False(model.Has("postgres"));
        Assert.False(model.Has("accounts"));
        Assert.False(model.Has("accounts-migration"));
        var api = model.Get<ProjectResource>("api");
        Assert.DoesNotContain("ConnectionStrings__accounts", (await AppHostModel.EnvironmentAsync(api)).Keys);
        Assert.Equivalent(new[] { "redis" }, AppHostModel.Waits(api));
    }

    [Theory]
    [InlineData(new[] { "Chatroom:Containers=false" }, false)]
    [InlineData(new[] { "Chatroom:Containers=false", ExistingAccounts }, true)]
    public async Task WithoutContainersAccountsUseTheGivenConnectionStringOrSqlite(string[] args, bool postgres)
    {
        await using var model = await AppHostModel.CreateAsync(args);

        Assert.False(model.Has("postgres"));
        Assert.Equal(postgres, model.Has("accounts"));
        Assert.Equal(postgres, model.Has("accounts-migration"));
    }

    [Fact]
    public async Task TheStandaloneProcessMigratesTheSameWayWhenRedisIsOff()
    {
        await using var model = await AppHostModel.CreateAsync("Redis:Mode=none");

        var chatroom = model.Get<ProjectResource>("chatroom");
        Assert.Equal("{accounts.connectionString}", (await AppHostModel.EnvironmentAsync(chatroom))["ConnectionStrings__accounts"]);
        Assert.Equal(WaitType.WaitForCompletion,
            Assert.Single(chatroom.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "accounts-migration").WaitType);
    }

    [Theory]
    [InlineData("Postgres:Mode=sometimes", "Postgres:Mode must be container, existing or none")]
    [InlineData("Postgres:Mode=existing", "Postgres:Mode=existing needs ConnectionStrings:accounts")]
    public async Task RefusesSwitchesThatCannotWork(string arg, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.CreateAsync(arg));

        Assert.Contains(message, Flatten(error));
    }

    [Fact]
    public async Task RefusesAPostgresContainerWhenContainersAreOff()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.CreateAsync("Chatroom:Containers=false", "Postgres:Mode=container"));

        Assert.Contains("Chatroom:Containers=false runs no container", Flatten(error));
    }

    private static async Task<IReadOnlyList<string>> ArgumentsAsync(IResource resource)
    {
        var args = new List<object>();
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(args, resource, CancellationToken.None));
        }

        return args.Select(a => a.ToString() ?? "").ToList();
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
