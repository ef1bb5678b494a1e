using System.Text.Json;
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
    private FakeOllamaServer()
    {
    }

    public static async Task<FakeOllamaServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new FakeOllamaServer();
        await server.ListenAsync(cancellationToken).ConfigureAwait(false);
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
        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var root = document.RootElement;
        var inputs = root.GetProperty("input") is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray()
            : [root.GetProperty("input").GetString() ?? string.Empty];
        await WriteJsonAsync(context, new
        {
            model = root.TryGetProperty("model", out var m) ? m.GetString() : ModelName,
            embeddings = inputs.Select(i => Embed(i)).ToArray(),
            total_duration = 14143917L,
            load_duration = 1019500L,
            prompt_eval_count = inputs.Sum(i => Math.Max(1, i.Length / 4)),
        }).ConfigureAwait(false);
    }

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
