using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Chatroom.Web.Tests;

public sealed partial class StaticFilesTests : IAsyncLifetime
{
    private WebAppHost host = null!;

    public async Task InitializeAsync() => host = await WebAppHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public void BuiltAppIsCopiedToTheOutputOfReferencingProjects()
    {
        var webapp = Path.Combine(AppContext.BaseDirectory, "webapp");
        Assert.True(File.Exists(Path.Combine(webapp, "index.html")), $"webapp/index.html missing in {AppContext.BaseDirectory}");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(webapp, "assets"), "*.js"));
    }

    [Fact]
    public async Task ServesIndexAtTheRoot_RevalidatedAndLockedDownByCsp()
    {
        using var response = await host.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Contains("<div id=\"app\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnswersNotModified_WhenIndexIsUnchanged()
    {
        using var first = await host.Client.GetAsync("/");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task ServesHashedAssetsAsImmutable()
    {
        var index = await host.Client.GetStringAsync("/");
        var assets = AssetReference().Matches(index).Select(m => m.Groups["path"].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));

        foreach (var asset in assets)
        {
            using var response = await host.Client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var cache = response.Headers.CacheControl;
            Assert.NotNull(cache);
            Assert.True(cache.Public);
            Assert.Equal(TimeSpan.FromDays(365), cache.MaxAge);
            Assert.Contains(cache.Extensions, e => e.Name == "immutable");
            Assert.Equal(asset.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task ServesUnhashedFilesWithRevalidation()
    {
        using var response = await host.Client.GetAsync("/favicon.svg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/rooms/lobby")]
    [InlineData("/some/deep/page")]
    [InlineData("/account")]
    [InlineData("/account/confirm-email?userId=u1&token=abc-_")]
    [InlineData("/account/reset-password?userId=u1&token=abc-_")]
    public async Task FallsBackToIndexForPagePaths(string path)
    {
        using var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Contains("<div id=\"app\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/rooms/lobby/nothing")]
    [InlineData("/hubs/unknown")]
    public async Task DoesNotFallBackForApiAndHubPaths(string path)
    {
        using var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"not_found\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RefusesUnknownApiPathsForEveryMethod()
    {
        using var response = await host.Client.PostAsync("/api/nothing-here", new StringContent("{}", MediaTypeHeaderValue.Parse("application/json")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnswersMissingAssetsWith404_NotTheIndex()
    {
        using var response = await host.Client.GetAsync("/assets/index-missing.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex("(?:src|href)=\"(?<path>/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();
}
