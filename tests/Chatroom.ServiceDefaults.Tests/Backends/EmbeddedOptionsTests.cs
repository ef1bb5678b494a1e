using System.Security.Cryptography;
using Chatroom.Backends;
using Chatroom.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Chatroom.ServiceDefaults.Tests.Backends;

/// <summary>The embedded backends' keys: a value SQLite cannot use stops start-up, naming the key, before any file is opened.</summary>
public sealed class EmbeddedOptionsTests
{
    [Theory]
    [InlineData("Chatroom:SqliteSynchronous", "OFF")]
    [InlineData("Chatroom:DataDirectory", "")]
    public async Task AnUnusableEmbeddedSettingStopsStartUp(string key, string value)
    {
        using var data = new TempDirectory("chatroom-options");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Chatroom:Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        builder.Configuration["Chatroom:DataDirectory"] = data.Path;
        builder.Configuration[key] = value;
        builder.AddServiceDefaults();
        builder.AddChatBackends();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Assert.Contains(key, failure.Message);
    }
}
