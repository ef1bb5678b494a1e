using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;
using OpenAiChatMessage = OpenAI.Chat.ChatMessage;
using OpenAiResponseFormat = OpenAI.Chat.ChatResponseFormat;

namespace Chatroom.Analysis.Llm;

/// <summary>
/// <see cref="IChatClient"/> for OpenAI-compatible servers over the OpenAI SDK's <see cref="ChatClient"/>:
/// <c>response_format</c> json_schema, streaming, tools and usage. The SDK's own retries are off; the caller's
/// resilience pipeline owns retries.
/// </summary>
public sealed class OpenAiCompatibleChatClient : IChatClient
{
    private readonly ChatClient _client;
    private readonly ChatClientMetadata _metadata;
    private readonly string _model;

    public OpenAiCompatibleChatClient(HttpClient http, Uri endpoint, string model, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };

        // Local servers (vLLM, llama.cpp, LM Studio) take any key; the SDK insists on one.
        _client = new ChatClient(model, new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey), options);
        _model = model;
        _metadata = new ChatClientMetadata("openai", endpoint, model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _client.CompleteChatAsync(ToOpenAi(messages, options), ToOpenAi(options), cancellationToken).ConfigureAwait(false);
        var completion = result.Value;
        var contents = new List<AIContent>();
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }

        foreach (var call in completion.ToolCalls)
        {
            contents.Add(new FunctionCallContent(call.Id, call.FunctionName, ParseArguments(call.FunctionArguments?.ToString())));
        }

        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, contents))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model ?? _model,
            CreatedAt = completion.CreatedAt,
            FinishReason = ToFinishReason(completion.FinishReason),
            Usage = ToUsage(completion.Usage),
            RawRepresentation = completion,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<AiChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var calls = new List<(string Id, string Name, System.Text.StringBuilder Arguments)>();
        var updates = _client.CompleteChatStreamingAsync(ToOpenAi(messages, options), ToOpenAi(options), cancellationToken);
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var contents = new List<AIContent>();
            foreach (var part in update.ContentUpdate)
            {
                if (part.Kind == ChatMessageContentPartKind.Text && part.Text.Length > 0)
                {
                    contents.Add(new TextContent(part.Text));
                }
            }

            foreach (var call in update.ToolCallUpdates)
            {
                if (call.ToolCallId is { Length: > 0 } id)
                {
                    calls.Add((id, call.FunctionName ?? string.Empty, new System.Text.StringBuilder()));
                }

                if (calls.Count > 0 && call.FunctionArgumentsUpdate is { } argumentsUpdate)
                {
                    calls[^1].Arguments.Append(argumentsUpdate.ToString());
                }
            }

            if (update.FinishReason is not null)
            {
                foreach (var (id, name, arguments) in calls)
                {
                    contents.Add(new FunctionCallContent(id, name, ParseArguments(arguments.ToString())));
                }

                calls.Clear();
            }

            if (ToUsage(update.Usage) is { } usage)
            {
                contents.Add(new UsageContent(usage));
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, contents)
            {
                ResponseId = update.CompletionId,
                ModelId = update.Model ?? _model,
                CreatedAt = update.CreatedAt,
                FinishReason = update.FinishReason is { } reason ? ToFinishReason(reason) : null,
                RawRepresentation = update,
            };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType == typeof(ChatClient) ? _client
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The HttpClient belongs to the caller (IHttpClientFactory); nothing to release here.
    }

    private static List<OpenAiChatMessage> ToOpenAi(IEnumerable<AiChatMessage> messages, ChatOptions? options)
    {
        var result = new List<OpenAiChatMessage>();
        if (options?.Instructions is { Length: > 0 } instructions)
        {
            result.Add(new SystemChatMessage(instructions));
        }

        foreach (var message in messages)
        {
            foreach (var toolResult in message.Contents.OfType<FunctionResultContent>())
            {
                result.Add(new ToolChatMessage(toolResult.CallId, toolResult.Result is string s ? s : JsonSerializer.Serialize(toolResult.Result)));
            }

            var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
            var calls = message.Contents.OfType<FunctionCallContent>()
                .Select(c => ChatToolCall.CreateFunctionToolCall(c.CallId, c.Name, BinaryData.FromString(JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>()))))
                .ToList();

            if (message.Role == ChatRole.System)
            {
                result.Add(new SystemChatMessage(text));
            }
            else if (message.Role == ChatRole.Assistant)
            {
                if (calls.Count > 0)
                {
                    result.Add(new AssistantChatMessage(calls));
                }
                else if (text.Length > 0)
                {
                    result.Add(new AssistantChatMessage(text));
                }
            }
            else if (message.Role != ChatRole.Tool && text.Length > 0)
            {
                result.Add(new UserChatMessage(text));
            }
        }

        return result;
    }

    private static ChatCompletionOptions ToOpenAi(ChatOptions? options)
    {
        var result = new ChatCompletionOptions();
        if (options is null)
        {
            return result;
        }

        result.Temperature = options.Temperature;
        result.TopP = options.TopP;
        result.MaxOutputTokenCount = options.MaxOutputTokens;
        if (options.StopSequences is { } stops)
        {
            foreach (var stop in stops)
            {
                result.StopSequences.Add(stop);
            }
        }

        if (options.ResponseFormat is ChatResponseFormatJson json)
        {
            result.ResponseFormat = json.Schema is { } schema
                ? OpenAiResponseFormat.CreateJsonSchemaFormat(json.SchemaName ?? "response", BinaryData.FromString(schema.GetRawText()), json.SchemaDescription, jsonSchemaIsStrict: true)
                : OpenAiResponseFormat.CreateJsonObjectFormat();
        }
        else if (options.ResponseFormat is ChatResponseFormatText)
        {
            result.ResponseFormat = OpenAiResponseFormat.CreateTextFormat();
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            foreach (var tool in tools.OfType<AIFunctionDeclaration>())
            {
                result.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.JsonSchema.GetRawText())));
            }
        }

        return result;
    }

    private static Dictionary<string, object?>? ParseArguments(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = property.Value.Clone();
        }

        return result;
    }

    private static UsageDetails? ToUsage(ChatTokenUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
    };

    private static Microsoft.Extensions.AI.ChatFinishReason ToFinishReason(OpenAI.Chat.ChatFinishReason reason) => reason switch
    {
        OpenAI.Chat.ChatFinishReason.Stop => Microsoft.Extensions.AI.ChatFinishReason.Stop,
        OpenAI.Chat.ChatFinishReason.Length => Microsoft.Extensions.AI.ChatFinishReason.Length,
        OpenAI.Chat.ChatFinishReason.ToolCalls or OpenAI.Chat.ChatFinishReason.FunctionCall => Microsoft.Extensions.AI.ChatFinishReason.ToolCalls,
        OpenAI.Chat.ChatFinishReason.ContentFilter => Microsoft.Extensions.AI.ChatFinishReason.ContentFilter,
        _ => Microsoft.Extensions.AI.ChatFinishReason.Stop,
    };
}
