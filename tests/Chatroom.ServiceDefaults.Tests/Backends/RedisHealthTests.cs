using System.Net;
using System.Security.Cryptography;
using Chatroom.Backends;
using Chatroom.Testing.Redis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Chatroom.ServiceDefaults.Tests.Backends;

/// <summary>A service on Redis gets Aspire's StackExchange.Redis client, and its health check is part of /health.</summary>
public sealed class RedisHealthTests
{
    [Fact]
    public async Task HealthReportsRedisDownAndUpAgain()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var app = BuildService(redis.ConnectionString);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        var health = app.Services.GetRequiredService<HealthCheckService>();

        Assert.IsType<ConnectionMultiplexer>(app.Services.GetRequiredService<IConnectionMultiplexer>());
        var up = await health.CheckHealthAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, up.Entries["StackExchange.Redis"].Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);

        await redis.KillAsync();
        var down = await health.CheckHealthAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries["StackExchange.Redis"].Status);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries["backends"].Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);

        // The process stays up and reconnects by itself.
        await redis.RestartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "/health did not recover after Redis came back.");
            await Task.Delay(200);
        }

        await app.StopAsync();
    }

    [Fact]
    public async Task AServiceStartsWhileRedisIsDown()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.KillAsync();
        await using var app = BuildService(redis.Endpoint + ",connectTimeout=500");
        await app.StartAsync();
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["StackExchange.Redis"].Status);
        await app.StopAsync();
    }

    [Fact]
    public async Task ConnectsOverTlsWithTheCaNamedInTheConnectionString()
    {
        // The Helm chart writes the old client's sslCaFile option into ConnectionStrings__redis.
        await using var redis = await RedisServer.StartTlsAsync();
        await using var app = BuildService($"{redis.Endpoint},ssl=true,sslCaFile={redis.CaCertificateFile},abortConnect=false");
        await app.StartAsync();
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, report.Entries["StackExchange.Redis"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["backends"].Status);
        await app.StopAsync();
    }

    private static WebApplication BuildService(string connectionString)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["ConnectionStrings:redis"] = connectionString;
        builder.Configuration["Chatroom:Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        builder.Configuration["Chatroom:Redis:KeyPrefix"] = "health" + Guid.NewGuid().ToString("N")[..8];
        builder.AddServiceDefaults();
        builder.AddChatBackends();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }
}
