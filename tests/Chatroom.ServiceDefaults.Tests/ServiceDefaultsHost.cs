using System.Security.Cryptography;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chatroom.ServiceDefaults.Tests;

/// <summary>
/// A bare service on a loopback port with nothing but <c>AddServiceDefaults</c>/<c>MapDefaultEndpoints</c> and three
/// endpoints: one for any signed-in user, one for admins, one under <c>/hubs</c> (where the query token is accepted).
/// </summary>
internal sealed class ServiceDefaultsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServiceDefaultsHost(WebApplication app, byte[] key)
    {
        _app = app;
        Key = key;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public byte[] Key { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ServiceDefaultsHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chatroom:Auth:SigningKey"] = Convert.ToBase64String(key),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/api/me", (HttpContext context) => context.User.ToChatIdentity()!.Name).RequireAuthorization();
        app.MapGet("/api/admin", (HttpContext context) => context.User.ToChatIdentity()!.Name).RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        app.MapGet("/hubs/probe", (HttpContext context) => context.User.ToChatIdentity()!.Name).RequireAuthorization();
        await app.StartAsync();
        return new ServiceDefaultsHost(app, key);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
