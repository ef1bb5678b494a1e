using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Chatroom.Testing.FakeLlm;

/// <summary>
/// A protocol-faithful fake of an OpenAI-compatible server on loopback: <c>POST /v1/chat/completions</c> (one
/// <c>chat.completion</c>, or <c>chat.completion.chunk</c> server-sent events ending in <c>data: [DONE]</c>, with a
/// usage chunk when <c>stream_options.include_usage</c> is set; <c>tool_calls</c>; <c>usage</c>), <c>POST /v1/embeddings</c>
/// and <c>GET /v1/models</c>. Errors use OpenAI's <c>{"error": {...}}</c> body.
/// </summary>
public sealed class FakeOpenAiServer : FakeLlmServer
{
    private FakeOpenAiServer()
    {
    }

    /// <summary>The address to give an OpenAI client (<see cref="FakeLlmServer.Endpoint"/> plus <c>v1/</c>).</summary>
    public Uri ApiEndpoint => new(Endpoint, "v1/");

    public static async Task<FakeOpenAiServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new FakeOpenAiServer();
        await server.ListenAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/chat/completions", ChatAsync);
        app.MapPost("/v1/embeddings", EmbeddingsAsync);
        app.MapGet("/v1/models", (HttpContext context) => WriteJsonAsync(context, new
        {
            @object = "list",
            data = new[] { new { id = ModelName, @object = "model", created = 1700000000L, owned_by = "fake" } },
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
        var stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var includeUsage = body.TryGetProperty("stream_options", out var so) && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        switch (reply)
        {
            case FakeStatusReply status:
                await WriteJsonAsync(context, new { error = new { message = status.Message, type = status.StatusCode >= 500 ? "server_error" : "invalid_request_error", param = (string?)null, code = (string?)null } }, status.StatusCode).ConfigureAwait(false);
                return;
            case FakeMalformedReply malformed:
                context.Response.ContentType = stream ? "text/event-stream" : "application/json";
                await context.Response.WriteAsync(stream ? $"data: {malformed.Body}\n\n" : malformed.Body, context.RequestAborted).ConfigureAwait(false);
                return;
            case FakeTextReply text when !stream:
                var logprobs = body.TryGetProperty("logprobs", out var lp) && lp.ValueKind == JsonValueKind.True ? LogProbabilities(text, body) : null;
                await WriteJsonAsync(context, Completion(id, created, model, new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = text.Content, ["refusal"] = null }, "stop", text.PromptTokens, text.CompletionTokens, logprobs)).ConfigureAwait(false);
                return;
            case FakeToolCallReply tool when !stream:
                await WriteJsonAsync(context, Completion(id, created, model, new Dictionary<string, object?>
                {
                    ["role"] = "assistant",
                    ["content"] = null,
                    ["refusal"] = null,
                    ["tool_calls"] = new[] { new { id = "call_" + id[^8..], type = "function", function = new { name = tool.Name, arguments = tool.ArgumentsJson } } },
                }, "tool_calls", tool.PromptTokens, tool.CompletionTokens)).ConfigureAwait(false);
                return;
            case FakeTextReply text:
                context.Response.ContentType = "text/event-stream";
                await EventAsync(context, Chunk(id, created, model, new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = string.Empty }, null)).ConfigureAwait(false);
                foreach (var piece in Split(text.Content, text.Chunks))
                {
                    await EventAsync(context, Chunk(id, created, model, new Dictionary<string, object?> { ["content"] = piece }, null)).ConfigureAwait(false);
                }

                await EventAsync(context, Chunk(id, created, model, [], "stop")).ConfigureAwait(false);
                await FinishStreamAsync(context, id, created, model, includeUsage, text.PromptTokens, text.CompletionTokens).ConfigureAwait(false);
                return;
            case FakeToolCallReply tool:
                {
                    context.Response.ContentType = "text/event-stream";
                    var callId = "call_" + id[^8..];
                    await EventAsync(context, Chunk(id, created, model, new Dictionary<string, object?>
                    {
                        ["role"] = "assistant",
                        ["content"] = null,
                        ["tool_calls"] = new[] { new { index = 0, id = callId, type = "function", function = new { name = tool.Name, arguments = string.Empty } } },
                    }, null)).ConfigureAwait(false);
                    foreach (var piece in Split(tool.ArgumentsJson, 2))
                    {
                        await EventAsync(context, Chunk(id, created, model, new Dictionary<string, object?>
                        {
                            ["tool_calls"] = new[] { new { index = 0, function = new { arguments = piece } } },
                        }, null)).ConfigureAwait(false);
                    }

                    await EventAsync(context, Chunk(id, created, model, [], "tool_calls")).ConfigureAwait(false);
                    await FinishStreamAsync(context, id, created, model, includeUsage, tool.PromptTokens, tool.CompletionTokens).ConfigureAwait(false);
                    return;
                }
        }
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var root = document.RootElement;
        var inputs = root.GetProperty("input") is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray()
            : [root.GetProperty("input").GetString() ?? string.Empty];
        var tokens = inputs.Sum(i => Math.Max(1, i.Length / 4));
        await WriteJsonAsync(context, new
        {
            @object = "list",
            data = inputs.Select((input, index) => new { @object = "embedding", index, embedding = Embed(input) }).ToArray(),
            model = root.TryGetProperty("model", out var m) ? m.GetString() : ModelName,
            usage = new { prompt_tokens = tokens, total_tokens = tokens },
        }).ConfigureAwait(false);
    }

    private static object Usage(int prompt, int completion) => new { prompt_tokens = prompt, completion_tokens = completion, total_tokens = prompt + completion };

    /// <summary>
    /// <c>choices[].logprobs</c> as the Chat Completions reference has it: one entry per token (here the first word, then
    /// the rest), each with its <c>bytes</c> and up to <c>top_logprobs</c> alternatives.
    /// </summary>
    private static object LogProbabilities(FakeTextReply text, JsonElement body)
    {
        var top = body.TryGetProperty("top_logprobs", out var t) && t.TryGetInt32(out var n) ? n : 0;
        var split = text.Content.TakeWhile(char.IsLetter).Count();
        string[] tokens = split > 0 && split < text.Content.Length ? [text.Content[..split], text.Content[split..]] : [text.Content];
        return new
        {
            content = tokens.Select((token, i) =>
            {
                var logprob = i == 0 ? Math.Log(text.FirstTokenProbability ?? 1) : 0;
                var entry = new { token, logprob, bytes = System.Text.Encoding.UTF8.GetBytes(token).Select(b => (int)b).ToArray() };
                return new { entry.token, entry.logprob, entry.bytes, top_logprobs = new[] { entry }.Take(Math.Min(top, 1)).ToArray() };
            }).ToArray(),
            refusal = (object?)null,
        };
    }

    private static Dictionary<string, object?> Completion(string id, long created, string model, Dictionary<string, object?> message, string finishReason, int prompt, int completion, object? logprobs = null) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = new[] { new Dictionary<string, object?> { ["index"] = 0, ["message"] = message, ["logprobs"] = logprobs, ["finish_reason"] = finishReason } },
        ["usage"] = Usage(prompt, completion),
        ["system_fingerprint"] = "fp_fake",
    };

    private static Dictionary<string, object?> Chunk(string id, long created, string model, Dictionary<string, object?> delta, string? finishReason) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["system_fingerprint"] = "fp_fake",
        ["choices"] = new[] { new Dictionary<string, object?> { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason } },
    };

    private static async Task FinishStreamAsync(HttpContext context, string id, long created, string model, bool includeUsage, int prompt, int completion)
    {
        if (includeUsage)
        {
            await EventAsync(context, new Dictionary<string, object?>
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = Array.Empty<object>(),
                ["usage"] = Usage(prompt, completion),
            }).ConfigureAwait(false);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task EventAsync(HttpContext context, object value)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(value) + "\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
