using System.Text.Json;

namespace Chatroom.Testing.FakeLlm;

/// <summary>What a fake LLM server answers to one chat request; tests queue these on the server.</summary>
public abstract record FakeLlmReply
{
    /// <summary>An assistant message; streamed in <paramref name="chunks"/> pieces when the client asks for a stream.</summary>
    public static FakeLlmReply Text(string content, int promptTokens = 42, int completionTokens = 17, int chunks = 3) =>
        new FakeTextReply(content, promptTokens, completionTokens, Math.Max(1, chunks));

    /// <summary>
    /// An assistant message whose first token the model gave <paramref name="firstTokenProbability"/>: an OpenAI-compatible
    /// server asked for <c>logprobs</c> returns it as that token's log-probability.
    /// </summary>
    public static FakeLlmReply Scored(string content, double firstTokenProbability, int promptTokens = 42, int completionTokens = 2) =>
        new FakeTextReply(content, promptTokens, completionTokens, 1) { FirstTokenProbability = firstTokenProbability };

    /// <summary>An assistant message holding <paramref name="value"/> serialised as JSON (structured output).</summary>
    public static FakeLlmReply Json(object value, int promptTokens = 42, int completionTokens = 17) =>
        Text(JsonSerializer.Serialize(value, new JsonSerializerOptions(JsonSerializerDefaults.Web)), promptTokens, completionTokens);

    public static FakeLlmReply ToolCall(string name, object arguments, int promptTokens = 42, int completionTokens = 9) =>
        new FakeToolCallReply(name, JsonSerializer.Serialize(arguments), promptTokens, completionTokens);

    /// <summary>An HTTP error status with the provider's error body.</summary>
    public static FakeLlmReply Status(int statusCode, string message = "fake failure") => new FakeStatusReply(statusCode, message);

    /// <summary>A 200 response whose body is not valid JSON (or, when streaming, a broken line).</summary>
    public static FakeLlmReply Malformed(string body = "{\"model\": \"fake\", \"message\": {\"content\": ") => new FakeMalformedReply(body);

    /// <summary>
    /// Status 200 whose body is Ollama's error object: when streaming, the <paramref name="before"/> text (if any) as
    /// chunks, then the line <c>{"error": …}</c> Ollama writes when the model fails mid-generation; otherwise the error
    /// object as the whole body.
    /// </summary>
    public static FakeLlmReply ErrorIn200(string message = "an error was encountered while running the model", string before = "") =>
        new FakeErrorIn200Reply(message, before);

    /// <summary>Never answers until the client gives up.</summary>
    public static FakeLlmReply Hang() => new FakeHangReply();

    /// <summary>This reply, after <paramref name="delay"/>.</summary>
    public FakeLlmReply After(TimeSpan delay) => new FakeDelayedReply(delay, this);
}

public sealed record FakeTextReply(string Content, int PromptTokens, int CompletionTokens, int Chunks) : FakeLlmReply
{
    /// <summary>The first token's probability for <c>logprobs</c> (1 when not scripted).</summary>
    public double? FirstTokenProbability { get; init; }
}

public sealed record FakeToolCallReply(string Name, string ArgumentsJson, int PromptTokens, int CompletionTokens) : FakeLlmReply;

public sealed record FakeStatusReply(int StatusCode, string Message) : FakeLlmReply;

public sealed record FakeMalformedReply(string Body) : FakeLlmReply;

public sealed record FakeErrorIn200Reply(string Message, string Before) : FakeLlmReply;

public sealed record FakeHangReply : FakeLlmReply;

public sealed record FakeDelayedReply(TimeSpan Delay, FakeLlmReply Inner) : FakeLlmReply;
