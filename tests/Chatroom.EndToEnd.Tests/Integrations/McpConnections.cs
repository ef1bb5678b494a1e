using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>The SDK's own MCP client against a host's <c>/mcp</c>, and what the tests read off its results.</summary>
internal static class McpConnections
{
    /// <summary>Connects over streamable HTTP with the bearer token, as an agent elsewhere would.</summary>
    public static async Task<McpClient> ConnectAsync(Uri hostAddress, string token)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(hostAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return await McpClient.CreateAsync(transport);
    }

    public static Task<CallToolResult> CallAsync(this McpClient client, string tool, object? arguments = null) =>
        client.CallToolAsync(tool, arguments is null ? null : ToDictionary(arguments)).AsTask();

    /// <summary>A successful result's structured content; fails the test with the refusal otherwise.</summary>
    public static JsonElement Structured(this CallToolResult result)
    {
        Assert.True(result.IsError is not true, $"the tool refused: {result.Text()}");
        return Assert.IsType<JsonElement>(result.StructuredContent);
    }

    /// <summary>The refusal's <c>code: sentence</c>.</summary>
    public static string Refusal(this CallToolResult result)
    {
        Assert.True(result.IsError, $"the tool answered instead of refusing: {result.Text()}");
        return result.Text();
    }

    public static string Text(this CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private static Dictionary<string, object?> ToDictionary(object arguments) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
}
