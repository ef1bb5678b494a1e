using System.Text.Json;
using Chatroom.Testing.Http;
using Chatroom.Testing.Redis;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chatroom.AppHost.Tests;

/// <summary>
/// The AppHost for real in its no-containers mode: DCP starts api, two socket-server replicas, analysis and web on a
/// real redis-server, and two people chat through the web front door from different replicas.
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
