using System.Collections.Concurrent;
using System.Security.Cryptography;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.SignalR;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// A full run with every log category at Trace — admin and guest sign-in, the hub with the token in the query string
/// (as browsers send it) and in the header, a model reached with a key — and then the logs are searched for every
/// secret: the signing key, the generated admin password, the model key and each issued token. None may appear.
/// </summary>
public sealed class SecretsInLogsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly string _modelKey = "sk-test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly CapturedLogs _logs = new();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task NoSecretAppearsInTheLogsOfAFullRun()
    {
        var connection = $"Endpoint={_model.ApiEndpoint};Model=fake-model;Provider=openai;Key={_modelKey}";
        var host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            // No password configured: the host generates one into its data folder.
            ["Chatroom:Admin:Password"] = "",
            ["Logging:LogLevel:Default"] = "Trace",
            // ASP.NET Core logs at Warning unless its category is configured (ChatTelemetryExtensions): trace it too.
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["ConnectionStrings:analysis-model"] = connection,
            ["ConnectionStrings:reasoning-model"] = connection,
            ["Chatroom:Moderation:Llm"] = "Always",
        }, configure: builder => builder.Logging.AddProvider(_logs));
        var tokens = new List<string>();
        string password;
        try
        {
            var passwordFile = Path.Combine(_data.Path, "admin-password");
            Assert.True(File.Exists(passwordFile), "the generated admin password is kept in the data folder");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
            }

            password = (await File.ReadAllTextAsync(passwordFile)).Trim();
            Assert.Contains(_logs.Lines, line => line.Contains(passwordFile, StringComparison.Ordinal));

            var admin = await host.Api.AdminTokenAsync(password);
            var guest = await host.Api.GuestTokenAsync("leaky");
            var browserGuest = await host.Api.GuestTokenAsync("browser");
            tokens.AddRange([admin, guest, browserGuest]);
            using (await host.Api.SendAsync(HttpMethod.Post, "/api/auth/admin", null, new { password = "not-it" }))
            {
            }

            await using var adminClient = await host.Api.ConnectWithTokenAsync(admin);
            await using var guestClient = await host.Api.ConnectWithTokenAsync(guest);
            await adminClient.InvokeAsync("JoinRoom", "lobby", null);
            await guestClient.InvokeAsync("JoinRoom", "lobby", null);

            // The browser's way: the token in the access_token query of the WebSocket URL.
            await using (var browser = await RawHubSocket.ConnectAsync(host.Address, browserGuest))
            {
                await browser.InvokeAsync("1", "JoinRoom", """["lobby",null]""");
                Assert.NotNull(await browser.CompletionAsync("1", TimeSpan.FromSeconds(10)));
                await browser.InvokeAsync("2", "SendMessage", """["lobby","hello from a browser","b-1"]""");
                Assert.NotNull(await browser.CompletionAsync("2", TimeSpan.FromSeconds(10)));
            }

            var sent = await guestClient.InvokeAsync("SendMessage", "lobby", "@assistant are my secrets safe?", "g-1");
            var id = sent.GetProperty("id").GetInt64();
            await adminClient.WaitForEventAsync("analysis", e => e.GetProperty("messageId").GetInt64() == id, TimeSpan.FromSeconds(30));
            await guestClient.WaitForEventAsync("message", m => m.GetProperty("authorName").GetString() == "assistant", TimeSpan.FromSeconds(30));
            Assert.True(_model.ChatRequestCount > 0, "the model (and so its key) was used");
        }
        finally
        {
            await host.DisposeAsync();
        }

        var signingKey = (await File.ReadAllTextAsync(Path.Combine(_data.Path, "signing.key"))).Trim();
        var secrets = new Dictionary<string, string>
        {
            ["signing key"] = signingKey,
            ["admin password"] = password,
            ["model key"] = _modelKey,
        };
        foreach (var (token, i) in tokens.Select((t, i) => (t, i)))
        {
            secrets[$"token {i}"] = token;
            secrets[$"token {i} signature"] = token[(token.LastIndexOf('.') + 1)..];
        }

        var lines = _logs.Lines;
        output.WriteLine($"{lines.Count} log entries captured at Trace");
        Assert.True(lines.Count > 100, "the run was logged at Trace");
        foreach (var (name, secret) in secrets)
        {
            var leaks = lines.Where(line => line.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"the {name} appears in {leaks.Count} log entries, e.g. {leaks.FirstOrDefault()?.Replace(secret, "<secret>", StringComparison.Ordinal)}");
        }
    }

    /// <summary>Every log entry of every category: message, state values, scopes and exception.</summary>
    private sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new System.Text.StringBuilder($"{category} {logLevel} {eventId.Id} {formatter(state, exception)}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        line.Append($" {key}={value}");
                    }
                }

                owner._scopes.ForEachScope((scope, builder) => builder.Append($" scope={scope}"), line);
                if (exception is not null)
                {
                    line.Append(' ').Append(exception);
                }

                owner._lines.Enqueue(line.ToString());
            }
        }
    }
}
