using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Re-embeds passages of the embedded index that another embedding model made (their dimensions differ) or that were
/// stored while no model was available, in batches, in the background after start-up, logging progress. Until a
/// passage is re-embedded, vector search skips it and word search still finds it.
/// </summary>
public sealed partial class KnowledgeReindexer(
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    KnowledgeCollection store,
    IOptions<KnowledgeOptions> options,
    ILogger<KnowledgeReindexer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not EmbeddedVectorStore embedded)
        {
            return;
        }

        // Yield first: start-up (and the first chat messages) must not wait for the model to load.
        await Task.Yield();
        try
        {
            await ReindexAsync(embedded, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (EmbeddingUnavailableException e)
        {
            LogUnavailable(logger, e.Message);
        }
        catch (Exception e)
        {
            LogFailed(logger, e);
        }
    }

    /// <summary>Re-embeds every stale passage; returns how many were re-embedded.</summary>
    public async Task<int> ReindexAsync(EmbeddedVectorStore embedded, CancellationToken cancellationToken)
    {
        var probe = await embedder.GenerateAsync(["dimensions"], cancellationToken: cancellationToken);
        var dimensions = probe[0].Vector.Length;
        var stale = embedded.Stale(dimensions);
        if (stale.Count == 0)
        {
            return 0;
        }

        var model = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown";
        LogStarted(logger, stale.Count, model, dimensions);
        var done = 0;
        foreach (var batch in stale.Chunk(options.Value.EmbeddingBatchSize))
        {
            var embeddings = await embedder.GenerateAsync(batch.Select(r => KnowledgeBase.PassageText(r.Title, r.Text)), cancellationToken: cancellationToken);
            await embedded.UpsertAsync(batch.Select((r, i) => r with { Vector = embeddings[i].Vector.ToArray() }).ToList(), cancellationToken);
            done += batch.Length;
            LogProgress(logger, done, stale.Count);
        }

        return done;
    }

    [LoggerMessage(EventId = 5611, Level = LogLevel.Information, Message = "Re-indexing {Count} knowledge passages with {Model} ({Dimensions} dimensions)")]
    private static partial void LogStarted(ILogger logger, int count, string model, int dimensions);

    [LoggerMessage(EventId = 5612, Level = LogLevel.Information, Message = "Re-indexed {Done}/{Total} knowledge passages")]
    private static partial void LogProgress(ILogger logger, int done, int total);

    [LoggerMessage(EventId = 5613, Level = LogLevel.Warning, Message = "Knowledge re-indexing skipped: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5614, Level = LogLevel.Error, Message = "Knowledge re-indexing failed; passages of the old model stay out of vector search")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
