using System.Net;
using System.Net.WebSockets;
using System.Text;
using Chatroom.Web.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.Web.Tests;

/// <summary>
/// The one-origin gateway on real sockets: three loopback services stand in for api, socketserver and analysis,
/// found through service discovery keys as Aspire injects them; the browser's paths reach the right one.
/// </summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private readonly List<WebApplication> services = [];
    private WebApplication? web;
    private HttpClient http = new();

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Chatroom:Web:Gateway:Enabled"] = "true" };
        foreach (var name in new[] { "api", "socketserver", "analysis" })
        {
            var service = await StartServiceAsync(name);
            services.Add(service);
            settings[$"services:{name}:http:0"] = Address(service);
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddChatWeb();
        builder.AddChatGateway();
        web = builder.Build();
        web.MapChatGateway();
        web.MapChatWeb();
        await web.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(Address(web)) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        if (web is not null)
        {
            await web.DisposeAsync();
        }

        foreach (var service in services)
        {
            await service.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/api/rooms", "api /api/rooms")]
    [InlineData("/api/auth/guest", "api /api/auth/guest")]
    [InlineData("/api/agents/assistant", "api /api/agents/assistant")]
    [InlineData("/api/analysis/classify", "analysis /api/analysis/classify")]
    [InlineData("/api/knowledge", "analysis /api/knowledge")]
    [InlineData("/api/knowledge/documents/1", "analysis /api/knowledge/documents/1")]
    [InlineData("/api/discussions", "analysis /api/discussions")]
    [InlineData("/mcp", "api /mcp")]
    [InlineData("/hooks/h1/secret", "api /hooks/h1/secret")]
    [InlineData("/.well-known/oauth-protected-resource/mcp", "api /.well-known/oauth-protected-resource/mcp")]
    [InlineData("/hubs/chat/negotiate?negotiateVersion=1", "socketserver /hubs/chat/negotiate")]
    public async Task RoutesEachAreaToItsService(string path, string expected)
    {
        var body = await http.GetStringAsync(path);

        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task ServesTheAppItselfForEverythingElse()
    {
        using var response = await http.GetAsync("/config.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("hubs/chat", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CarriesWebSocketsToTheSocketServers()
    {
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(http.BaseAddress!) { Scheme = "ws", Path = "/hubs/chat" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("socketserver hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task AnOpenWebSocketDoesNotHoldTheGatewaysShutdown()
    {
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(http.BaseAddress!) { Scheme = "ws", Path = "/hubs/chat" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        await socket.ReceiveAsync(buffer, CancellationToken.None);

        // The socket server stand-in now waits for the browser, as a chat session does; the gateway is told to stop.
        var budget = web!.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value.ShutdownTimeout;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await web.StopAsync(CancellationToken.None);
        stopwatch.Stop();
        Console.WriteLine($"gateway stopped {stopwatch.Elapsed.TotalSeconds:0.00} s after it was told to, with a WebSocket open (budget {budget.TotalSeconds} s)");

        Assert.True(stopwatch.Elapsed < budget, $"the gateway waited out its whole shutdown budget ({budget}) for the open WebSocket");
        await Assert.ThrowsAnyAsync<WebSocketException>(() => socket.ReceiveAsync(buffer, CancellationToken.None));
    }

    private static async Task<WebApplication> StartServiceAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[256];
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                var reply = Encoding.UTF8.GetBytes($"{name} {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
                await socket.SendAsync(reply, WebSocketMessageType.Text, true, context.RequestAborted);
                await socket.ReceiveAsync(buffer, context.RequestAborted);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                return;
            }

            await context.Response.WriteAsync($"{name} {context.Request.Path}");
        });
        await app.StartAsync();
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
}
