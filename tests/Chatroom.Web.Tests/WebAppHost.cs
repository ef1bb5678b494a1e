using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace Chatroom.Web.Tests;

/// <summary>Chatroom.Web's library API alone (AddChatWeb + MapChatWeb) on an in-memory test server.</summary>
internal sealed class WebAppHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebAppHost(WebApplication app)
    {
        this.app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public static async Task<WebAppHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddChatWeb();
        var app = builder.Build();
        app.MapChatWeb();
        await app.StartAsync();
        return new WebAppHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.DisposeAsync();
    }
}
