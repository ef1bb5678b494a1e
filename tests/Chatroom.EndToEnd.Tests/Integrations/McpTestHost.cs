using Chatroom.Testing.Hosting;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// A standalone host for the MCP tests in its own data directory, where accounts need no confirmed email, with the
/// admin's token; disposing it stops the host and removes the directory.
/// </summary>
internal sealed class McpTestHost : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private McpTestHost(TempDirectory data, StandaloneHost host, string adminToken)
    {
        _data = data;
        Host = host;
        AdminToken = adminToken;
    }

    public StandaloneHost Host { get; }

    public string AdminToken { get; }

    /// <param name="settings">Further configuration, e.g. <c>Chatroom:Mcp:Search:ByMeaning</c>.</param>
    public static async Task<McpTestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = new TempDirectory();
        var configuration = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Chatroom:Accounts:RequireConfirmedEmail"] = "false",
        };
        var host = await StandaloneHost.StartAsync(data.Path, configuration);
        return new McpTestHost(data, host, await host.Api.AdminTokenAsync(StandaloneHost.AdminPassword));
    }

    /// <summary>A host whose <c>search</c> is the word search.</summary>
    public static Task<McpTestHost> StartWordSearchAsync() =>
        StartAsync(new Dictionary<string, string?> { ["Chatroom:Mcp:Search:ByMeaning"] = "false" });

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _data.Dispose();
    }
}
