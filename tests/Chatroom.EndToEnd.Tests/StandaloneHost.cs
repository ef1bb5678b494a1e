using Chatroom.Standalone;
using Chatroom.Testing.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatroom.EndToEnd.Tests;

/// <summary>The standalone host, composed exactly as its Program.cs does, on a free loopback port and a data folder of the test's.</summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    public const string AdminPassword = "test-admin-password";

    private readonly WebApplication _app;

    private StandaloneHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Api = new ChatApiClient(address);
    }

    public Uri Address { get; }

    public ChatApiClient Api { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<StandaloneHost> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null, int port = 0)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = "Chatroom.Standalone",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chatroom:DataDirectory"] = dataDirectory,
            ["Chatroom:Admin:Password"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddChatroomStandalone();
        var app = builder.Build();
        app.MapChatroomStandalone();
        await app.StartAsync();
        return new StandaloneHost(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
