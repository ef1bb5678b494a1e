using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Chatroom.Testing.FakeLlm;

/// <summary>
/// A protocol-faithful fake of Ollama's HTTP API on loopback: <c>POST /api/chat</c> (NDJSON streaming by default,
/// or one object with <c>"stream": false</c>; <c>format</c>, <c>tools</c> → <c>tool_calls</c>;
/// <c>prompt_eval_count</c>/<c>eval_count</c>), <c>POST /api/embed</c> and <c>GET /api/tags</c>.
/// </summary>
public sealed class FakeOllamaServer : FakeLlmServer
{
    private static readonly HashSet<string> StopWords =
    [
        "the", "an", "and", "or", "of", "to", "in", "on", "at", "for", "is", "are", "be", "it", "this", "that", "with", "by",
        "from", "what", "how", "who", "when", "where", "why", "do", "does", "can", "you", "we", "my", "your", "our",
    ];

    private readonly ConcurrentQueue<FakeLlmReply> _embedReplies = new();
    private readonly ConcurrentQueue<JsonElement> _embedRequests = new();

    private FakeOllamaServer()
    {
    }

    /// <summary>Dimensions of the embeddings <c>/api/embed</c> returns.</summary>
    public int EmbeddingDimensions { get; set; } = 256;

    /// <summary>When not empty, <c>/api/embed</c> answers 404 "model not found" for any other model, as Ollama does.</summary>
    public HashSet<string> EmbeddingModels { get; } = new(StringComparer.Ordinal);

    /// <summary><c>/api/embed</c> request bodies, oldest first.</summary>
    public IReadOnlyList<JsonElement> EmbedRequests => _embedRequests.ToArray();

    /// <summary>
    /// Scripts the next <c>/api/embed</c> answers: <see cref="FakeLlmReply.Status"/>, <see cref="FakeLlmReply.Malformed"/>,
    /// <see cref="FakeLlmReply.Hang"/> or a delay; any other reply means a normal answer.
    /// </summary>
    public void EnqueueEmbed(params FakeLlmReply[] replies)
    {
        foreach (var reply in replies)
        {
            _embedReplies.Enqueue(reply);
        }
    }

    public static Task<FakeOllamaServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync(0, cancellationToken);

    /// <summary>Starts on <paramref name="port"/>: 0 for a free one, or the port of a server the test stopped, to bring it back.</summary>
    public static async Task<FakeOllamaServer> StartAsync(int port, CancellationToken cancellationToken = default)
    {
        var server = new FakeOllamaServer();
        await server.ListenAsync(port, cancellationToken).ConfigureAwait(false);
        return server;
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/chat", ChatAsync);
        app.MapPost("/api/embed", EmbedAsync);
        app.MapGet("/api/tags", (HttpContext context) => WriteJsonAsync(context, new
        {
            models = new[]
            {
                new
                {
                    name = ModelName,
                    model = ModelName,
                    modified_at = "2025-01-01T00:00:00Z",
                    size = 397821319L,
                    digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                    details = new { format = "gguf", family = "qwen2", parameter_size = "494.03M", quantization_level = "Q4_K_M" },
                },
            },
        }));
    }

    private async Task ChatAsync(HttpContext context)
    {
        var (body, scripted) = await TakeChatRequestAsync(context).ConfigureAwait(false);
        var reply = await UnwrapAsync(scripted, context).ConfigureAwait(false);
        if (reply is null)
        {
            return;
        }

        var model = body.TryGetProperty("model", out var m) ? m.GetString() ?? ModelName : ModelName;
        var stream = !body.TryGetProperty("stream", out var s) || s.ValueKind != JsonValueKind.False;
        switch (reply)
        {
            case FakeStatusReply status:
                await WriteJsonAsync(context, new { error = status.Message }, status.StatusCode).ConfigureAwait(false);
                return;
            case FakeMalformedReply malformed:
                context.Response.ContentType = stream ? "application/x-ndjson" : "application/json; charset=utf-8";
                await context.Response.WriteAsync(malformed.Body + (stream ? "\n" : string.Empty), context.RequestAborted).ConfigureAwait(false);
                return;
            case FakeErrorIn200Reply error when stream:
                context.Response.ContentType = "application/x-ndjson";
                foreach (var piece in error.Before.Length == 0 ? [] : Split(error.Before, 2))
                {
                    await WriteLineAsync(context, Chunk(model, Message(piece))).ConfigureAwait(false);
                }

                await WriteLineAsync(context, new { error = error.Message }).ConfigureAwait(false);
                return;
            case FakeErrorIn200Reply error:
                await WriteJsonAsync(context, new { error = error.Message }).ConfigureAwait(false);
                return;
            case FakeToolCallReply tool:
                {
                    var message = new Dictionary<string, object?>
                    {
                        ["role"] = "assistant",
                        ["content"] = string.Empty,
                        ["tool_calls"] = new[] { new { function = new { name = tool.Name, arguments = JsonDocument.Parse(tool.ArgumentsJson).RootElement } } },
                    };
                    if (stream)
                    {
                        context.Response.ContentType = "application/x-ndjson";
                        await WriteLineAsync(context, Chunk(model, message)).ConfigureAwait(false);
                        await WriteLineAsync(context, Final(model, Message(string.Empty), tool.PromptTokens, tool.CompletionTokens)).ConfigureAwait(false);
                    }
                    else
                    {
                        await WriteJsonAsync(context, Final(model, message, tool.PromptTokens, tool.CompletionTokens)).ConfigureAwait(false);
                    }

                    return;
                }

            case FakeTextReply text:
                if (stream)
                {
                    context.Response.ContentType = "application/x-ndjson";
                    foreach (var piece in Split(text.Content, text.Chunks))
                    {
                        await WriteLineAsync(context, Chunk(model, Message(piece))).ConfigureAwait(false);
                    }

                    await WriteLineAsync(context, Final(model, Message(string.Empty), text.PromptTokens, text.CompletionTokens)).ConfigureAwait(false);
                }
                else
                {
                    await WriteJsonAsync(context, Final(model, Message(text.Content), text.PromptTokens, text.CompletionTokens)).ConfigureAwait(false);
                }

                return;
        }
    }

    private async Task EmbedAsync(HttpContext context)
    {
        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await WriteJsonAsync(context, new { error = "invalid character in request body" }, StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        _embedRequests.Enqueue(root);
        var scripted = _embedReplies.TryDequeue(out var queued) ? await UnwrapAsync(queued, context).ConfigureAwait(false) : FakeLlmReply.Text(string.Empty);
        switch (scripted)
        {
            case null:
                return;
            case FakeStatusReply status:
                await WriteJsonAsync(context, new { error = status.Message }, status.StatusCode).ConfigureAwait(false);
                return;
            case FakeMalformedReply malformed:
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(malformed.Body, context.RequestAborted).ConfigureAwait(false);
                return;
        }

        var model = root.TryGetProperty("model", out var m) ? m.GetString() : null;
        if (string.IsNullOrEmpty(model))
        {
            await WriteJsonAsync(context, new { error = "model is required" }, StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        if (EmbeddingModels.Count > 0 && !EmbeddingModels.Contains(model))
        {
            await WriteJsonAsync(context, new { error = $"model \"{model}\" not found, try pulling it first" }, StatusCodes.Status404NotFound).ConfigureAwait(false);
            return;
        }

        // input is a string or a list of strings (Ollama's API reference, "Generate Embeddings" of /api/embed).
        string[] inputs = root.TryGetProperty("input", out var input) ? input.ValueKind switch
        {
            JsonValueKind.Array => input.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray(),
            JsonValueKind.String => [input.GetString() ?? string.Empty],
            _ => [],
        } : [];
        await WriteJsonAsync(context, new
        {
            model,
            embeddings = inputs.Select(i => BagOfWords(i, EmbeddingDimensions)).ToArray(),
            total_duration = 14143917L,
            load_duration = 1019500L,
            prompt_eval_count = inputs.Sum(i => Math.Max(1, Words(i).Count())),
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// A deterministic embedding that carries meaning: lower-cased words (stop words dropped, a plural s trimmed) hashed
    /// into signed buckets and L2-normalised, so texts sharing words have a high cosine similarity.
    /// </summary>
    public static float[] BagOfWords(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in Words(text))
        {
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }

            vector[hash % (uint)dimensions] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }

    private static IEnumerable<string> Words(string text) =>
        Regex.Split(text.ToLowerInvariant(), "[^a-z0-9]+")
            .Where(w => w.Length > 1 && !StopWords.Contains(w))
            .Select(w => w.Length > 3 && w.EndsWith('s') ? w[..^1] : w);

    private static Dictionary<string, object?> Message(string content) => new() { ["role"] = "assistant", ["content"] = content };

    private static Dictionary<string, object?> Chunk(string model, Dictionary<string, object?> message) => new()
    {
        ["model"] = model,
        ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
        ["message"] = message,
        ["done"] = false,
    };

    private static Dictionary<string, object?> Final(string model, Dictionary<string, object?> message, int promptTokens, int completionTokens) => new()
    {
        ["model"] = model,
        ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
        ["message"] = message,
        ["done"] = true,
        ["done_reason"] = "stop",
        ["total_duration"] = 4883583458L,
        ["load_duration"] = 1334875L,
        ["prompt_eval_count"] = promptTokens,
        ["prompt_eval_duration"] = 342546000L,
        ["eval_count"] = completionTokens,
        ["eval_duration"] = 4535599000L,
    };

    private static async Task WriteLineAsync(HttpContext context, object value)
    {
        await context.Response.WriteAsync(JsonSerializer.Serialize(value) + "\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
