using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatroom.Testing.FakeLlm;

/// <summary>
/// Base of the fake LLM servers: Kestrel on 127.0.0.1 with a free port, a queue of scripted replies (or a
/// responder function), and a record of every request body.
/// </summary>
public abstract class FakeLlmServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeLlmReply> _replies = new();
    private readonly ConcurrentQueue<JsonElement> _requests = new();
    private WebApplication? _app;

    /// <summary>The server's base address, ending in a slash.</summary>
    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The model name the server reports.</summary>
    public string ModelName { get; set; } = "fake-model";

    /// <summary>The reply when the queue is empty and no responder is set.</summary>
    public FakeLlmReply DefaultReply { get; set; } = FakeLlmReply.Text("ok");

    /// <summary>Computes a reply from the request body; used when the queue is empty.</summary>
    public Func<JsonElement, FakeLlmReply>? Responder { get; set; }

    /// <summary>Chat request bodies, oldest first.</summary>
    public IReadOnlyList<JsonElement> Requests => _requests.ToArray();

    public int ChatRequestCount => _requests.Count;

    public void Enqueue(params FakeLlmReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    protected Task ListenAsync(CancellationToken cancellationToken) => ListenAsync(0, cancellationToken);

    /// <summary>Listens on <paramref name="port"/> (0: a free one), so a test can bring a "crashed" server back at the same address.</summary>
    protected async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Endpoint = new Uri(address.TrimEnd('/') + "/");
        _app = app;
    }

    protected abstract void Map(WebApplication app);

    /// <summary>Reads and records a chat request, then picks its reply.</summary>
    protected async Task<(JsonElement Body, FakeLlmReply Reply)> TakeChatRequestAsync(HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var body = document.RootElement.Clone();
        _requests.Enqueue(body);
        var reply = _replies.TryDequeue(out var queued) ? queued : Responder?.Invoke(body) ?? DefaultReply;
        return (body, reply);
    }

    /// <summary>Applies delays and hangs; returns the reply to write, or null when the client went away.</summary>
    protected static async Task<FakeLlmReply?> UnwrapAsync(FakeLlmReply reply, HttpContext context)
    {
        try
        {
            while (true)
            {
                switch (reply)
                {
                    case FakeDelayedReply delayed:
                        await Task.Delay(delayed.Delay, context.RequestAborted).ConfigureAwait(false);
                        reply = delayed.Inner;
                        continue;
                    case FakeHangReply:
                        await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
                        return null;
                    default:
                        return reply;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    protected static string[] Split(string content, int chunks)
    {
        if (content.Length == 0 || chunks <= 1)
        {
            return [content];
        }

        var size = (int)Math.Ceiling(content.Length / (double)chunks);
        return Enumerable.Range(0, chunks)
            .Select(i => i * size < content.Length ? content.Substring(i * size, Math.Min(size, content.Length - (i * size))) : string.Empty)
            .Where(s => s.Length > 0)
            .ToArray();
    }

    /// <summary>A deterministic pseudo-embedding: the same text always maps to the same unit vector.</summary>
    protected static float[] Embed(string text, int dimensions = 8)
    {
        var vector = new float[dimensions];
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
            vector[(hash & 0x7fffffff) % dimensions] += 1;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }

    protected static async Task WriteJsonAsync(HttpContext context, object value, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(value), context.RequestAborted).ConfigureAwait(false);
    }
}
