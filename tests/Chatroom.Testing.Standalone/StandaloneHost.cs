using Chatroom.Standalone;
using Chatroom.Testing.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Chatroom.Testing.Standalone;

/// <summary>The standalone host, composed exactly as its Program.cs does, on a loopback port and a data folder of the test's.</summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    public const string AdminPassword = "test-admin-password";

    private readonly WebApplication _app;
    private bool _disposed;

    private StandaloneHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Api = new ChatApiClient(address);
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    public ChatApiClient Api { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The page URL for a path of the app, e.g. <c>Url("/admin")</c>.</summary>
    public string Url(string path = "/") => new Uri(Address, path).ToString();

    /// <param name="configure">Runs on the builder before the host is composed, e.g. to add a logger provider.</param>
    /// <param name="composed">Runs on the builder after the host is composed, e.g. to wrap one of its services.</param>
    public static async Task<StandaloneHost> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null, int port = 0, Action<WebApplicationBuilder>? configure = null,
        Action<WebApplicationBuilder>? composed = null)
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

            // Tests sign the admin account in over and over, from one address.
            ["Chatroom:Accounts:SignInsPerAccountPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        configure?.Invoke(builder);
        builder.AddChatroomStandalone();
        composed?.Invoke(builder);
        var app = builder.Build();
        app.MapChatroomStandalone();
        await app.StartAsync();
        return new StandaloneHost(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Api.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
