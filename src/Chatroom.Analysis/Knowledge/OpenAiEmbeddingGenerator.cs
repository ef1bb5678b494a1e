using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Analysis.Llm;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Embeddings from an OpenAI-compatible <c>POST {endpoint}/embeddings</c> (the endpoint includes <c>/v1</c>):
/// <c>{"model","input":[…],"encoding_format":"float"}</c> → <c>{"data":[{"index","embedding"}],"usage":{"prompt_tokens"}}</c>.
/// Plain HTTP rather than the OpenAI SDK, so the float encoding that every local server (vLLM, llama.cpp, Ollama's
/// <c>/v1</c>) understands is asked for explicitly.
/// </summary>
public sealed class OpenAiEmbeddingGenerator(HttpClient http, Uri endpoint, string model, string? apiKey, int batchSize = HttpEmbeddingGenerator.DefaultBatchSize, TimeSpan? timeout = null, LlmMetrics? metrics = null)
    : HttpEmbeddingGenerator(http, new Uri(endpoint, "embeddings"), "openai", "The OpenAI-compatible server", endpoint, model, batchSize, timeout ?? TimeSpan.FromSeconds(60), metrics)
{
    protected override void AddHeaders(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    protected override JsonObject BuildRequest(IReadOnlyList<string> inputs, string model, int? dimensions)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["input"] = new JsonArray(inputs.Select(i => (JsonNode?)i).ToArray()),
            ["encoding_format"] = "float",
        };
        if (dimensions is { } value)
        {
            body["dimensions"] = value;
        }

        return body;
    }

    protected override (float[][] Vectors, long PromptTokens) ReadResponse(JsonElement root)
    {
        var items = root.GetProperty("data").EnumerateArray()
            .Select((item, position) => (Index: item.TryGetProperty("index", out var index) ? index.GetInt32() : position, Vector: ReadVector(item.GetProperty("embedding"))))
            .OrderBy(x => x.Index)
            .Select(x => x.Vector)
            .ToArray();
        var tokens = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
            && usage.TryGetProperty("prompt_tokens", out var prompt) && prompt.ValueKind == JsonValueKind.Number ? prompt.GetInt64() : 0;
        return (items, tokens);
    }

    protected override string? ReadError(JsonElement root) =>
        root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) ? null
        : error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) ? message.GetString()
        : error.ToString();
}
