using System.Text.Json;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Http;
using Chatroom.Testing.Postgres;
using Chatroom.Testing.Redis;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chatroom.AppHost.Tests;

/// <summary>
/// The AppHost for real in its no-containers mode: DCP starts api, two socket-server replicas, analysis and web on a
/// real redis-server, and two people chat through the web front door from different replicas; with a real
/// PostgreSQL for accounts, the migration step runs first and the API keeps a registered account.
/// </summary>
public sealed class AppHostRunTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task PeopleOnDifferentSocketServerReplicasChatThroughTheWebEndpoint()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await using var redis = await RedisServer.StartAsync(cancellationToken: timeout.Token);

        await ChatAcrossReplicasAsync(["Chatroom:Containers=false", $"ConnectionStrings:redis={redis.ConnectionString}"], timeout.Token);
    }

    [Fact]
    public async Task OnAnExistingPostgresTheMigrationRunsOnceBeforeTheApiWhichThenKeepsAccounts()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var ct = timeout.Token;
        await using var redis = await RedisServer.StartAsync(cancellationToken: ct);
        await using var postgres = await PostgresServer.StartAsync(ct);

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Chatroom_AppHost>(
            ["Chatroom:Containers=false", "SocketServer:Replicas=1", $"ConnectionStrings:redis={redis.ConnectionString}",
                $"ConnectionStrings:accounts={postgres.ConnectionString("accounts")}"], ct);
        // Confirming by email is the accounts tests' business; the outbox goes to a folder of this test.
        var dataDirectory = Directory.CreateTempSubdirectory("chatroom-apphost-accounts-");
        builder.CreateResourceBuilder<ProjectResource>("api")
            .WithEnvironment("Chatroom__Accounts__RequireConfirmedEmail", "false")
            .WithEnvironment("Chatroom__DataDirectory", dataDirectory.FullName);
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);

        // The migration step ran to its end with exit code 0 (the API waits for exactly that) ...
        var migrated = await app.ResourceNotifications.WaitForResourceAsync("accounts-migration",
            e => e.Snapshot.State?.Text == KnownResourceStates.Finished, ct);
        Assert.Equal(0, migrated.Snapshot.ExitCode);
        // ... and the API, which refuses to start on a database with pending migrations, came up on it.
        await app.ResourceNotifications.WaitForResourceHealthyAsync("api", ct);

        using var api = app.CreateHttpClient("api");
        var name = "pg" + Guid.NewGuid().ToString("N")[..10];
        const string password = "a long enough pass phrase 42";
        using (var registered = await api.PostAsJsonAsync("/api/auth/register",
            new { userName = name, email = $"{name}@example.com", password, dateOfBirth = "1990-04-01" }, ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        }

        using var signedIn = await api.PostAsJsonAsync("/api/auth/login", new { login = name, password }, ct);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var tokens = (await signedIn.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        Assert.False(string.IsNullOrEmpty(tokens["token"]?.GetValue<string>()));
        Assert.Equal("user", tokens["user"]!["role"]!.GetValue<string>());

        await app.StopAsync(CancellationToken.None);
        dataDirectory.Delete(recursive: true);
    }

    [ContainerRuntimeFact]
    public async Task WithContainersRedisRunsInOneAndTheServicesChatOnIt()
    {
        using var timeout = new CancellationTokenSource(StartTimeout * 2);

        await ChatAcrossReplicasAsync(["Ollama:Mode=none", "Milvus:Mode=none"], timeout.Token);
    }

    private static async Task ChatAcrossReplicasAsync(string[] args, CancellationToken ct)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Chatroom_AppHost>(args, ct);
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        foreach (var name in new[] { "api", "analysis", "socketserver", "web" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, ct);
        }

        using var http = app.CreateHttpClient("web");
        using var api = new ChatApiClient(http.BaseAddress!);
        var room = "apphost-" + Guid.NewGuid().ToString("N")[..8];
        await api.CreateRoomAsync(await api.GuestTokenAsync("Ana"), room);

        // The replicas sit behind one proxied endpoint; connect until two connections name different nodes.
        var connections = new List<(HubConnection Connection, string Node)>();
        try
        {
            for (var i = 0; i < 12 && connections.Select(c => c.Node).Distinct().Count() < 2; i++)
            {
                var connection = Connect(http.BaseAddress!, await api.GuestTokenAsync($"Person{i}"));
                await connection.StartAsync(ct);
                var joined = await connection.InvokeAsync<JsonElement>("JoinRoom", room, null, ct);
                connections.Add((connection, joined.GetProperty("node").GetString()!));
            }

            // One name per replica: the node JoinRoom names is the replica's name in the dashboard (socketserver-<id>).
            Assert.All(connections, c => Assert.StartsWith("socketserver-", c.Node, StringComparison.Ordinal));

            var sender = connections[0];
            var receiver = connections.First(c => c.Node != sender.Node);
            var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            receiver.Connection.On<JsonElement>("message", m => received.TrySetResult(m));

            var ack = await sender.Connection.InvokeAsync<JsonElement>("SendMessage", room, "hello from the other replica", Guid.NewGuid().ToString("N"), ct);
            var message = await received.Task.WaitAsync(ct);

            Assert.Equal(ack.GetProperty("id").GetInt64(), message.GetProperty("id").GetInt64());
            Assert.Equal("hello from the other replica", message.GetProperty("text").GetString());
        }
        finally
        {
            foreach (var (connection, _) in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static HubConnection Connect(Uri web, string token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(web, "/hubs/chat"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
}
