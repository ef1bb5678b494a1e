using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Re-indexes the knowledge base when the embedding model changed, in the background after start-up, logging progress.
/// The embedded index re-embeds the passages another model made (their dimensions differ) or that were stored while no
/// model was available, batch by batch; until a passage is re-embedded, vector search skips it and word search still
/// finds it. A Milvus collection's vector dimension is fixed when it is created, so when it differs from the model's
/// every passage is read, re-embedded, and written to the collection created anew with the new dimension.
/// </summary>
public sealed partial class KnowledgeReindexer(
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    KnowledgeCollection store,
    IOptions<KnowledgeOptions> options,
    ILogger<KnowledgeReindexer> logger) : BackgroundService
{
    /// <summary>Passages per Milvus query while reading a collection to re-index (offset + limit must stay under 16,384).</summary>
    private const int MilvusPage = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not (LocalVectorIndex or MilvusVectorStore))
        {
            return;
        }

        // Yield first: start-up (and the first chat messages) must not wait for the model to load.
        await Task.Yield();
        try
        {
            // WaitAsync: loading the embedding model is CPU work no token stops, and the host waits for this method
            // on SIGTERM; a stop right after start-up waited seconds for the load (issue 25).
            await (store is LocalVectorIndex local ? ReindexAsync(local, stoppingToken) : ReindexAsync((MilvusVectorStore)store, stoppingToken))
                .WaitAsync(stoppingToken);
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
    public async Task<int> ReindexAsync(LocalVectorIndex embedded, CancellationToken cancellationToken)
    {
        var stale = embedded.Stale(await DimensionsAsync(cancellationToken));
        return stale.Count == 0 ? 0 : await ReembedAsync(stale, (batch, token) => embedded.UpsertAsync(batch, token), cancellationToken);
    }

    /// <summary>
    /// Rebuilds the Milvus collection when its dimension is not the model's; returns how many passages were re-embedded.
    /// Every passage is embedded before the old collection is dropped, so a failing model leaves it as it was.
    /// </summary>
    public async Task<int> ReindexAsync(MilvusVectorStore milvus, CancellationToken cancellationToken)
    {
        var dimensions = await DimensionsAsync(cancellationToken);
        if (await milvus.DimensionAsync(cancellationToken) is not { } current || current == dimensions)
        {
            return 0;
        }

        var passages = new List<VectorRecord>();
        while (true)
        {
            var page = new List<VectorRecord>();
            await foreach (var record in milvus.GetAsync(r => r.Id != "", MilvusPage, new FilteredRecordRetrievalOptions<VectorRecord> { Skip = passages.Count }, cancellationToken))
            {
                page.Add(record);
            }

            passages.AddRange(page);
            if (page.Count < MilvusPage)
            {
                break;
            }
        }

        var reembedded = new List<VectorRecord>(passages.Count);
        await ReembedAsync(passages, (batch, _) =>
        {
            reembedded.AddRange(batch);
            return Task.CompletedTask;
        }, cancellationToken);
        await milvus.EnsureCollectionDeletedAsync(cancellationToken);
        if (reembedded.Count > 0)
        {
            await milvus.UpsertAsync(reembedded, cancellationToken);
        }

        LogMilvusRebuilt(logger, milvus.Collection, current, dimensions, reembedded.Count);
        return reembedded.Count;
    }

    private async Task<int> DimensionsAsync(CancellationToken cancellationToken) =>
        (await embedder.GenerateAsync(["dimensions"], cancellationToken: cancellationToken))[0].Vector.Length;

    private async Task<int> ReembedAsync(IReadOnlyList<VectorRecord> passages, Func<IReadOnlyList<VectorRecord>, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var model = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown";
        LogStarted(logger, passages.Count, model, await DimensionsAsync(cancellationToken));
        var done = 0;
        foreach (var batch in passages.Chunk(options.Value.EmbeddingBatchSize))
        {
            var embeddings = await embedder.GenerateAsync(batch.Select(r => KnowledgeBase.PassageText(r.Title, r.Text)), cancellationToken: cancellationToken);
            await write(batch.Select((r, i) => r with { Vector = embeddings[i].Vector.ToArray() }).ToList(), cancellationToken);
            done += batch.Length;
            LogProgress(logger, done, passages.Count);
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

    [LoggerMessage(EventId = 5615, Level = LogLevel.Information, Message = "Rebuilt Milvus collection {Collection}: {OldDimensions} → {Dimensions} dimensions, {Count} passages")]
    private static partial void LogMilvusRebuilt(ILogger logger, string collection, int oldDimensions, int dimensions, int count);
}
