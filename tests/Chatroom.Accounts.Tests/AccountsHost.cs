using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Accounts;
using Chatroom.Api;
using Chatroom.ServiceDefaults;
using Chatroom.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.Accounts.Tests;

/// <summary>
/// The API process composed as its Program.cs does, on a loopback port, with email going to <see cref="Smtp"/> and
/// accounts in SQLite (the data folder) or in a PostgreSQL database migrated first by the one-shot step.
/// </summary>
public sealed class AccountsHost : IAsyncDisposable
{
    public const string AdminPassword = "test-admin-password";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly TempDirectory? _ownedData;

    private AccountsHost(WebApplication app, string dataDirectory, TempDirectory? ownedData, SmtpCapture smtp)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _ownedData = ownedData;
        Smtp = smtp;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public SmtpCapture Smtp { get; }

    /// <summary>The web origin a browser on this host's address would report (the default passkey origin).</summary>
    public string Origin => Http.BaseAddress!.GetLeftPart(UriPartial.Authority);

    public string DataDirectory { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="postgres">A PostgreSQL connection string, or null for SQLite.</param>
    /// <param name="migrate">On PostgreSQL, whether to run the migration step first.</param>
    /// <param name="dataDirectory">Another host's data folder (its SQLite store) to start on, as a restart would; the caller keeps it.</param>
    /// <param name="time">The clock the accounts see, for tests that move time forward.</param>
    public static async Task<AccountsHost> StartAsync(
        string? postgres, IReadOnlyDictionary<string, string?>? settings = null, bool migrate = true, string? dataDirectory = null,
        TimeProvider? time = null)
    {
        var owned = dataDirectory is null ? new TempDirectory("chatroom-accounts") : null;
        var data = dataDirectory ?? owned!.Path;
        var smtp = new SmtpCapture();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = "Chatroom.Api" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chatroom:DataDirectory"] = data,
            ["Chatroom:Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Chatroom:Admin:Password"] = AdminPassword,
            ["Chatroom:Api:SignInsPerMinute"] = "100000",
            ["Chatroom:Accounts:SignInsPerAccountPerMinute"] = "1000",
            ["Chatroom:Accounts:SignUpsPerAddressPerHour"] = "100000",
            ["Chatroom:Auth:StaffRequireTwoFactor"] = "false",
            ["Chatroom:Email:Smtp:Host"] = "127.0.0.1",
            ["Chatroom:Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Chatroom:Email:Smtp:Security"] = "None",
            ["ConnectionStrings:accounts"] = postgres,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddServiceDefaults();
        builder.AddChatApi();
        var app = builder.Build();
        if (postgres is not null && migrate)
        {
            // What `Chatroom.Api --migrate-accounts` does, once, before the server starts.
            await app.Services.MigrateAccountsAsync();
        }

        app.MapDefaultEndpoints();
        app.MapChatApi();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await smtp.DisposeAsync();
            owned?.Dispose();
            throw;
        }

        return new AccountsHost(app, data, owned, smtp);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null, string? token = null) => SendAsync(HttpMethod.Post, path, body, token);

    /// <summary>POSTs and returns the JSON body, failing on a non-success status (with the body in the message).</summary>
    public async Task<JsonObject> PostJsonAsync(string path, object? body = null, string? token = null)
    {
        using var response = await PostAsync(path, body, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> GetJsonAsync(string path, string token)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token: token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonArray> GetArrayAsync(string path, string token)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token: token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>A token of the bootstrapped <c>admin</c> account.</summary>
    public async Task<string> AdminTokenAsync() =>
        (await PostJsonAsync("/api/auth/admin", new { password = AdminPassword }))["token"]!.GetValue<string>();

    /// <summary>The status and stable code of a refusal.</summary>
    public static async Task<(int Status, string? Code)> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Json);
        return ((int)response.StatusCode, body?["code"]?.GetValue<string>());
    }

    public async Task<(int Status, string? Code)> RefusalAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var response = await SendAsync(method, path, body, token);
        return await ProblemAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        await Smtp.DisposeAsync();
        _ownedData?.Dispose();
    }
}
