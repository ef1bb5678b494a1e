using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Analysis.Llm;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Embeddings from Ollama's <c>POST /api/embed</c>: <c>{"model","input":[…]}</c> → <c>{"model","embeddings":[[…]],"prompt_eval_count"}</c>;
/// errors arrive as <c>{"error":"…"}</c> with an HTTP error status.
/// </summary>
public sealed class OllamaEmbeddingGenerator(HttpClient http, Uri endpoint, string model, int batchSize = HttpEmbeddingGenerator.DefaultBatchSize, TimeSpan? timeout = null, LlmMetrics? metrics = null)
    : HttpEmbeddingGenerator(http, new Uri(endpoint, "api/embed"), "ollama", "Ollama", endpoint, model, batchSize, timeout ?? TimeSpan.FromSeconds(60), metrics)
{
    protected override JsonObject BuildRequest(IReadOnlyList<string> inputs, string model, int? dimensions)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["input"] = new JsonArray(inputs.Select(i => (JsonNode?)i).ToArray()),
        };
        if (dimensions is { } value)
        {
            body["dimensions"] = value;
        }

        return body;
    }

    protected override (float[][] Vectors, long PromptTokens) ReadResponse(JsonElement root)
    {
        if (ReadError(root) is { } error)
        {
            throw new InvalidOperationException(error);
        }

        var vectors = root.GetProperty("embeddings").EnumerateArray().Select(ReadVector).ToArray();
        var tokens = root.TryGetProperty("prompt_eval_count", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt64() : 0;
        return (vectors, tokens);
    }

    protected override string? ReadError(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) ? error.ToString() : null;
}
