using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Chatroom.Api;
using Chatroom.ServiceDefaults;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Passkeys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Bench;

/// <summary>
/// Sign-ins through the real service: the API host as Program.cs composes it, SQLite accounts store, HTTP on loopback,
/// each sign-in a full <c>POST /api/auth/login</c> (PBKDF2-HMAC-SHA512 at Identity's default 100,000 iterations, a
/// refresh token row, a JWT). Ops/s of the parallel benchmark is the sign-ins per second the machine sustains.
/// </summary>
[Config(typeof(SignInConfig))]
public class SignInBenchmarks
{
    private const int Concurrent = 8;

    private TempDirectory _data = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private SoftwareAuthenticator _passkey = null!;
    private object _login = null!;
    private IPasswordHasher<ChatUser> _hasher = null!;
    private string _hash = null!;

    // BenchmarkDotNet 0.14's in-process toolchain starts an async [GlobalSetup] without awaiting it (the first
    // iteration then meets a half-built host), so the setup blocks here, outside anything measured.
    [GlobalSetup]
    public void Start() => StartAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Stop() => StopAsync().GetAwaiter().GetResult();

    private async Task StartAsync()
    {
        _data = new TempDirectory("chatroom-accounts-bench");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = "Chatroom.Api" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chatroom:DataDirectory"] = _data.Path,
            ["Chatroom:Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Chatroom:Api:SignInsPerMinute"] = "100000",
            ["Chatroom:Accounts:SignInsPerAccountPerMinute"] = "100000",
            ["Chatroom:Accounts:RequireConfirmedEmail"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults();
        builder.AddChatApi();
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapChatApi();
        await _app.StartAsync();
        var address = new Uri(_app.Urls.First());
        _http = new HttpClient { BaseAddress = address };
        Console.WriteLine($"// PBKDF2 iterations: {_app.Services.GetRequiredService<IOptions<PasswordHasherOptions>>().Value.IterationCount}");
        _hasher = _app.Services.GetRequiredService<IPasswordHasher<ChatUser>>();

        const string password = "correct horse battery";
        using (var registered = await _http.PostAsJsonAsync("/api/auth/register",
            new { userName = "bench_user", email = "bench@example.com", password, dateOfBirth = "1990-04-01" }))
        {
            registered.EnsureSuccessStatusCode();
        }

        _login = new { login = "bench_user", password };
        _hash = _hasher.HashPassword(new ChatUser(), password);
        var token = (await PostAsync("/api/auth/login", _login, null))["token"]!.GetValue<string>();
        _passkey = new SoftwareAuthenticator(address.GetLeftPart(UriPartial.Authority));
        var creation = await PostAsync("/api/account/passkeys/options", new { }, token);
        await PostAsync("/api/account/passkeys", new { credential = _passkey.Create(creation["options"]!), state = creation["state"]!.GetValue<string>() }, token);
    }

    [Benchmark(Baseline = true, Description = "password sign-in, one at a time")]
    public Task<JsonObject> PasswordSignIn() => PostAsync("/api/auth/login", _login, null);

    [Benchmark(OperationsPerInvoke = Concurrent, Description = "password sign-in, 8 at a time (per sign-in)")]
    public Task<JsonObject[]> PasswordSignInsConcurrently() =>
        Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => PostAsync("/api/auth/login", _login, null)));

    [Benchmark(Description = "the password hash alone (PBKDF2 verify)")]
    public PasswordVerificationResult PasswordHashOnly() => _hasher.VerifyHashedPassword(new ChatUser(), _hash, "correct horse battery");

    [Benchmark(Description = "passkey sign-in, one at a time (options + assertion)")]
    public async Task<JsonObject> PasskeySignIn()
    {
        var request = await PostAsync("/api/auth/passkey/options", new { }, null);
        return await PostAsync("/api/auth/passkey/login",
            new { credential = _passkey.Get(request["options"]!), state = request["state"]!.GetValue<string>() }, null);
    }

    private async Task StopAsync()
    {
        _passkey.Dispose();
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }

    private async Task<JsonObject> PostAsync(string path, object body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    }

    private sealed class SignInConfig : ManualConfig
    {
        public SignInConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("api-in-process"));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
