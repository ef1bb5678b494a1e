using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Models;

/// <summary>
/// Records each model round trip on the product's own instruments (<c>chatroom.llm.requests</c>, <c>.latency</c>,
/// <c>.tokens</c> by model and purpose), which the admin token KPI, dashboards and alerts read. It sits inside the
/// function-invocation loop, so a tool-using answer counts every round trip, as the GenAI metrics do.
/// </summary>
public sealed class LlmMetricsChatClient(IChatClient inner, LlmMetrics metrics, string purpose) : DelegatingChatClient(inner)
{
    private readonly string _model = inner.GetService<ChatClientMetadata>()?.DefaultModelId ?? "unknown";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            metrics.Request(_model, purpose, "success", Stopwatch.GetElapsedTime(started));
            metrics.Tokens(_model, purpose, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
            return response;
        }
        catch (Exception e)
        {
            metrics.Request(_model, purpose, Outcome(e, cancellationToken), Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        long prompt = 0, completion = 0;
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            ChatResponseUpdate update;
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                update = updates.Current;
            }
            catch (Exception e)
            {
                metrics.Request(_model, purpose, Outcome(e, cancellationToken), Stopwatch.GetElapsedTime(started));
                throw;
            }

            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                prompt += usage.Details.InputTokenCount ?? 0;
                completion += usage.Details.OutputTokenCount ?? 0;
            }

            yield return update;
        }

        metrics.Request(_model, purpose, "success", Stopwatch.GetElapsedTime(started));
        metrics.Tokens(_model, purpose, prompt, completion);
    }

    private static string Outcome(Exception e, CancellationToken cancellationToken) =>
        e is OperationCanceledException && !cancellationToken.IsCancellationRequested ? "timeout"
        : e is OperationCanceledException ? "cancelled"
        : "error";
}
