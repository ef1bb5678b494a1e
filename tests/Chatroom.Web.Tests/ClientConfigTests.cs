using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Chatroom.Web.Tests;

public sealed class ClientConfigTests
{
    [Fact]
    public async Task PointsAtTheSameOriginByDefault()
    {
        await using var host = await WebAppHost.StartAsync();

        using var response = await host.Client.GetAsync("/config.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("", json.RootElement.GetProperty("apiBase").GetString());
        Assert.Equal("/hubs/chat", json.RootElement.GetProperty("hubUrl").GetString());
        Assert.False(json.RootElement.TryGetProperty("guests", out var guests) && guests.ValueKind != JsonValueKind.Null);
    }

    [Theory]
    [InlineData("read-only", "read-only")]
    [InlineData("Off", "off")]
    public async Task TellsTheAppWhetherGuestsMaySignIn(string configured, string expected)
    {
        await using var host = await WebAppHost.StartAsync(new Dictionary<string, string?> { ["Chatroom:Auth:Guests"] = configured });

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/config.json"));
        Assert.Equal(expected, json.RootElement.GetProperty("guests").GetString());
    }

    [Fact]
    public async Task ComesFromConfiguration_AndOpensTheCspToThoseOrigins()
    {
        await using var host = await WebAppHost.StartAsync(new Dictionary<string, string?>
        {
            ["Chatroom:Web:ApiBase"] = "https://api.chat.test/",
            ["Chatroom:Web:HubUrl"] = "https://live.chat.test/hubs/chat",
        });

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/config.json"));
        Assert.Equal("https://api.chat.test", json.RootElement.GetProperty("apiBase").GetString());
        Assert.Equal("https://live.chat.test/hubs/chat", json.RootElement.GetProperty("hubUrl").GetString());

        using var index = await host.Client.GetAsync("/");
        var csp = Assert.Single(index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("https://api.chat.test", csp);
        Assert.Contains("wss://live.chat.test", csp);
    }

    [Theory]
    [InlineData("Chatroom:Web:HubUrl", "javascript:alert(1)")]
    [InlineData("Chatroom:Web:HubUrl", "")]
    [InlineData("Chatroom:Web:ApiBase", "ftp://files.test")]
    [InlineData("Chatroom:Web:ApiBase", "//evil.test")]
    public async Task RefusesToStartWithBadUrls(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => WebAppHost.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task SaysPlainlyWhenTheAppWasNotBuilt()
    {
        var empty = Directory.CreateTempSubdirectory("chatroom-web-empty-");
        try
        {
            await using var host = await WebAppHost.StartAsync(new Dictionary<string, string?> { ["Chatroom:Web:RootPath"] = empty.FullName });

            using var response = await host.Client.GetAsync("/");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
