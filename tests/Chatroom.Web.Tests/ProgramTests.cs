using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Chatroom.Web.Tests;

/// <summary>The deployable Chatroom.Web host: service defaults plus the app.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment("Testing");
        web.UseSetting("Chatroom:Auth:SigningKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
    });

    public void Dispose() => factory.Dispose();

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/rooms/lobby", "text/html")]
    [InlineData("/account/confirm-email?userId=u1&token=abc", "text/html")]
    [InlineData("/account/reset-password?userId=u1&token=abc", "text/html")]
    [InlineData("/config.json", "application/json")]
    public async Task ServesTheAppBesideTheDefaultEndpoints(string path, string mediaType)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task KeepsHealthAndAlive()
    {
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task AnswersUnknownApiPathsWithAProblem()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
