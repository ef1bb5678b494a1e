using System.Collections.Concurrent;
using Chatroom.Testing.Redis;

namespace Chatroom.Redis.Tests;

/// <summary>One TLS-only redis-server (no plain port) with a certificate from a CA made for it alone.</summary>
public sealed class RedisTlsServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public string CaFile => Server.CaCertificateFile!;

    public async Task InitializeAsync() => Server = await RedisServer.StartTlsAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class TlsTests(RedisTlsServerFixture redis) : IClassFixture<RedisTlsServerFixture>
{
    [Fact]
    public async Task TalksTlsWithTheAspireFormTrustingAGivenCa()
    {
        var ct = CancellationToken.None;
        await using var client = await RedisClient.ConnectAsync($"{redis.Server.Endpoint},ssl=true,sslCaFile={redis.CaFile},connectTimeout=3000");
        Assert.True(await client.SetAsync("tls:aspire", "über TLS", ct));
        Assert.Equal("über TLS", await client.GetAsync("tls:aspire", ct));
        Assert.Equal("über TLS", (await redis.Server.CliAsync("GET", "tls:aspire")).Trim());

        // Pub/sub runs on a connection of its own, over TLS too.
        var received = new ConcurrentQueue<string>();
        var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.SubscribeAsync("tls:channel", (_, payload) =>
        {
            received.Enqueue(payload);
            got.TrySetResult();
        }, ct);
        Assert.Equal(1, await client.PublishAsync("tls:channel", "hello", ct));
        await got.Task.WaitAsync(TimeSpan.FromSeconds(5), ct);
        Assert.Equal(["hello"], received);
    }

    [Fact]
    public async Task TalksTlsWithARedissUriCheckingTheNameGivenBySslHost()
    {
        var ct = CancellationToken.None;
        var uri = $"rediss://localhost:{redis.Server.Port}/2?sslCaFile={Uri.EscapeDataString(redis.CaFile)}&sslHost=localhost";
        var options = RedisOptions.Parse(uri);
        Assert.True(options.Ssl);
        // Connect to the loopback address while checking the certificate for the name "localhost".
        await using var client = await RedisClient.ConnectAsync(uri.Replace("rediss://localhost:", "rediss://127.0.0.1:", StringComparison.Ordinal));
        Assert.True(await client.SetAsync("tls:uri", "db2", ct));
        Assert.Equal("db2", (await redis.Server.CliAsync("-n", "2", "GET", "tls:uri")).Trim());
    }

    [Fact]
    public async Task RefusesAServerItDoesNotTrust()
    {
        // The system store does not know the test CA.
        var untrusted = await Assert.ThrowsAsync<RedisConnectionException>(() =>
            RedisClient.ConnectAsync($"{redis.Server.Endpoint},ssl=true,connectTimeout=3000"));
        Assert.Contains(redis.Server.Endpoint, untrusted.Message, StringComparison.Ordinal);

        // A trusted CA does not excuse a certificate for another name.
        await Assert.ThrowsAsync<RedisConnectionException>(() =>
            RedisClient.ConnectAsync($"{redis.Server.Endpoint},ssl=true,sslCaFile={redis.CaFile},sslHost=redis.example.org,connectTimeout=3000"));

        // Nor does a CA that did not sign it: trust is limited to the file's roots, the system store is not consulted.
        var otherCa = Path.Combine(Path.GetTempPath(), "chatroom-other-ca-" + Guid.NewGuid().ToString("N") + ".crt");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Some other CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
            using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(otherCa, other.ExportCertificatePem());
        }

        try
        {
            await Assert.ThrowsAsync<RedisConnectionException>(() =>
                RedisClient.ConnectAsync($"{redis.Server.Endpoint},ssl=true,sslCaFile={otherCa},connectTimeout=3000"));
        }
        finally
        {
            File.Delete(otherCa);
        }

        // Plain text to a TLS port is refused rather than hanging.
        await Assert.ThrowsAsync<RedisConnectionException>(() =>
            RedisClient.ConnectAsync($"{redis.Server.Endpoint},connectTimeout=1000"));
    }
}
