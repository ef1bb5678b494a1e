using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Llm;

/// <summary>
/// <see cref="IChatClient"/> over Ollama's HTTP API (<c>POST /api/chat</c>): streaming NDJSON, <c>format</c> with a
/// JSON schema for structured output, <c>tools</c> to function calls, usage from <c>prompt_eval_count</c>/<c>eval_count</c>.
/// </summary>
public sealed class OllamaChatClient : IChatClient
{
    private readonly HttpClient _http;
    private readonly Uri _chatUri;
    private readonly string _model;
    private readonly ChatClientMetadata _metadata;

    /// <param name="http">The HTTP client; its timeout should be infinite, resilience is applied by the caller.</param>
    /// <param name="endpoint">Ollama's base address, e.g. <c>http://localhost:11434</c>.</param>
    /// <param name="model">The model name, e.g. <c>qwen2.5:0.5b</c>.</param>
    public OllamaChatClient(HttpClient http, Uri endpoint, string model)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        _http = http;
        _chatUri = new Uri(endpoint, "api/chat");
        _model = model;
        _metadata = new ChatClientMetadata("ollama", endpoint, model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = BuildRequest(messages, options, stream: false);
        using var response = await SendAsync(body, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        ThrowIfError(root);

        var message = new ChatMessage(ChatRole.Assistant, ReadContents(root, out _));
        return new ChatResponse(message)
        {
            ModelId = root.TryGetProperty("model", out var model) ? model.GetString() : _model,
            CreatedAt = ReadCreatedAt(root),
            FinishReason = ReadFinishReason(root),
            Usage = ReadUsage(root),
            RawRepresentation = root.Clone(),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var body = BuildRequest(messages, options, stream: true);
        using var response = await SendAsync(body, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        var responseId = Guid.NewGuid().ToString("N");
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            ThrowIfError(root);
            var contents = ReadContents(root, out var done);
            if (done && ReadUsage(root) is { } usage)
            {
                contents.Add(new UsageContent(usage));
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, contents)
            {
                ResponseId = responseId,
                ModelId = root.TryGetProperty("model", out var model) ? model.GetString() : _model,
                CreatedAt = ReadCreatedAt(root),
                FinishReason = done ? ReadFinishReason(root) : null,
                RawRepresentation = root.Clone(),
            };

            if (done)
            {
                yield break;
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The HttpClient belongs to the caller (IHttpClientFactory); nothing to release here.
    }

    private async Task<HttpResponseMessage> SendAsync(JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _chatUri) { Content = JsonContent.Create(body) };
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new HttpRequestException($"Ollama answered {(int)response.StatusCode}: {Truncate(text)}", null, response.StatusCode);
        }

        return response;
    }

    private JsonObject BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var array = new JsonArray();
        if (options?.Instructions is { Length: > 0 } instructions)
        {
            array.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

        foreach (var message in messages)
        {
            foreach (var node in ToOllamaMessages(message))
            {
                array.Add(node);
            }
        }

        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? _model,
            ["messages"] = array,
            ["stream"] = stream,
        };

        if (options?.ResponseFormat is ChatResponseFormatJson json)
        {
            body["format"] = json.Schema is { } schema ? JsonNode.Parse(schema.GetRawText()) : "json";
        }

        if (options?.Tools is { Count: > 0 } tools)
        {
            var toolArray = new JsonArray();
            foreach (var tool in tools.OfType<AIFunctionDeclaration>())
            {
                toolArray.Add(new JsonObject
                {
                    ["type"] = "function",
                    ["function"] = new JsonObject
                    {
                        ["name"] = tool.Name,
                        ["description"] = tool.Description,
                        ["parameters"] = JsonNode.Parse(tool.JsonSchema.GetRawText()),
                    },
                });
            }

            body["tools"] = toolArray;
        }

        var modelOptions = new JsonObject();
        if (options?.Temperature is { } temperature)
        {
            modelOptions["temperature"] = temperature;
        }

        if (options?.TopP is { } topP)
        {
            modelOptions["top_p"] = topP;
        }

        if (options?.MaxOutputTokens is { } maxTokens)
        {
            modelOptions["num_predict"] = maxTokens;
        }

        if (options?.Seed is { } seed)
        {
            modelOptions["seed"] = seed;
        }

        if (options?.StopSequences is { Count: > 0 } stops)
        {
            modelOptions["stop"] = new JsonArray(stops.Select(s => (JsonNode?)s).ToArray());
        }

        if (modelOptions.Count > 0)
        {
            body["options"] = modelOptions;
        }

        return body;
    }

    private static IEnumerable<JsonObject> ToOllamaMessages(ChatMessage message)
    {
        var role = message.Role == ChatRole.System ? "system"
            : message.Role == ChatRole.Assistant ? "assistant"
            : message.Role == ChatRole.Tool ? "tool"
            : "user";

        foreach (var result in message.Contents.OfType<FunctionResultContent>())
        {
            yield return new JsonObject
            {
                ["role"] = "tool",
                ["content"] = result.Result is string s ? s : JsonSerializer.Serialize(result.Result),
            };
        }

        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        if (text.Length == 0 && calls.Count == 0)
        {
            yield break;
        }

        var node = new JsonObject { ["role"] = role, ["content"] = text };
        if (calls.Count > 0)
        {
            var array = new JsonArray();
            foreach (var call in calls)
            {
                array.Add(new JsonObject
                {
                    ["function"] = new JsonObject
                    {
                        ["name"] = call.Name,
                        ["arguments"] = JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>()),
                    },
                });
            }

            node["tool_calls"] = array;
        }

        yield return node;
    }

    private static List<AIContent> ReadContents(JsonElement root, out bool done)
    {
        done = root.TryGetProperty("done", out var doneElement) && doneElement.ValueKind == JsonValueKind.True;
        var contents = new List<AIContent>();
        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return contents;
        }

        if (message.TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.GetProperty("function");
                var name = function.GetProperty("name").GetString() ?? string.Empty;
                var arguments = function.TryGetProperty("arguments", out var args) ? ReadArguments(args) : null;
                var id = call.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
                contents.Add(new FunctionCallContent(id ?? Guid.NewGuid().ToString("N"), name, arguments));
            }
        }

        return contents;
    }

    private static Dictionary<string, object?>? ReadArguments(JsonElement arguments)
    {
        // Ollama sends arguments as an object; some models put a JSON string there instead.
        var element = arguments.ValueKind == JsonValueKind.String ? JsonDocument.Parse(arguments.GetString()!).RootElement : arguments;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            result[property.Name] = property.Value.Clone();
        }

        return result;
    }

    private static UsageDetails? ReadUsage(JsonElement root)
    {
        var hasPrompt = root.TryGetProperty("prompt_eval_count", out var prompt) && prompt.ValueKind == JsonValueKind.Number;
        var hasEval = root.TryGetProperty("eval_count", out var eval) && eval.ValueKind == JsonValueKind.Number;
        if (!hasPrompt && !hasEval)
        {
            return null;
        }

        var input = hasPrompt ? prompt.GetInt64() : 0;
        var output = hasEval ? eval.GetInt64() : 0;
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    private static ChatFinishReason? ReadFinishReason(JsonElement root) =>
        root.TryGetProperty("done_reason", out var reason) && reason.GetString() is { } value
            ? value switch
            {
                "stop" => ChatFinishReason.Stop,
                "length" => ChatFinishReason.Length,
                _ => new ChatFinishReason(value),
            }
            : null;

    private static DateTimeOffset? ReadCreatedAt(JsonElement root) =>
        root.TryGetProperty("created_at", out var created) && created.TryGetDateTimeOffset(out var value) ? value : null;

    private static void ThrowIfError(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"Ollama reported an error: {Truncate(error.ToString())}");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}
