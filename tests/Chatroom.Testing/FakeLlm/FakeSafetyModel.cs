using System.Text.Json;
using System.Text.RegularExpressions;

namespace Chatroom.Testing.FakeLlm;

/// <summary>
/// Responders (for <see cref="FakeLlmServer.Responder"/>) that answer as the safety classifier models do, reading the
/// request the way each model's prompt template does: Llama Guard 3 answers <c>safe</c> or <c>unsafe\nS1,S10</c>;
/// Granite Guardian reads the risk from the system message and answers <c>Yes</c> or <c>No</c>; ShieldGemma reads the
/// message and the policy from its prompt and answers <c>Yes</c> or <c>No</c> with a line of reasoning, its first
/// token scored (returned as a log-probability when the client asks for <c>logprobs</c>).
/// </summary>
public static partial class FakeSafetyModel
{
    /// <param name="hazards">The hazard codes (S1–S14) for a message; none = safe.</param>
    public static Func<JsonElement, FakeLlmReply> LlamaGuard(Func<string, string[]> hazards) => body =>
    {
        var codes = hazards(LastUserText(body));
        return FakeLlmReply.Text(codes.Length == 0 ? "safe" : "unsafe\n" + string.Join(',', codes), promptTokens: 230, completionTokens: codes.Length == 0 ? 2 : 5, chunks: 2);
    };

    /// <param name="risky">Whether a message (first argument) shows the risk the system message names (second).</param>
    public static Func<JsonElement, FakeLlmReply> GraniteGuardian(Func<string, string, bool> risky) => body =>
    {
        var risk = Messages(body).FirstOrDefault(m => m.Role == "system").Text ?? "harm";
        return FakeLlmReply.Text(risky(LastUserText(body), risk) ? "Yes" : "No", promptTokens: 180, completionTokens: 1, chunks: 1);
    };

    /// <param name="probability">p(Yes: violates) for a message (first argument) and the policy's name (second, e.g. "No Harassment").</param>
    public static Func<JsonElement, FakeLlmReply> ShieldGemma(Func<string, string, double> probability) => body =>
    {
        var prompt = LastUserText(body);
        var message = HumanQuestion().Match(prompt).Groups[1].Value.Trim();
        var policy = PolicyName().Match(prompt).Groups[1].Value;
        var p = probability(message, policy);
        return p >= 0.5
            ? FakeLlmReply.Scored($"Yes\nThe message breaks the \"{policy}\" principle.", p, promptTokens: 260, completionTokens: 12)
            : FakeLlmReply.Scored($"No\nThe message does not break the \"{policy}\" principle.", 1 - p, promptTokens: 260, completionTokens: 13);
    };

    /// <summary>The last user message's text, whether the content is a string (Ollama) or a list of parts (OpenAI).</summary>
    public static string LastUserText(JsonElement body) => Messages(body).LastOrDefault(m => m.Role == "user").Text ?? string.Empty;

    private static IEnumerable<(string Role, string Text)> Messages(JsonElement body) =>
        body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString() ?? "", Content(m.GetProperty("content"))));

    private static string Content(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? string.Empty,
        JsonValueKind.Array => string.Concat(content.EnumerateArray().Where(p => p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString())),
        _ => string.Empty,
    };

    [GeneratedRegex(@"Human Question: (.*?)\n<end_of_turn>", RegexOptions.Singleline)]
    private static partial Regex HumanQuestion();

    [GeneratedRegex("\\* \"([^\"]+)\"")]
    private static partial Regex PolicyName();
}
