using System.Numerics.Tensors;
using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.Embedded;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// An in-process index: every vector in memory, searched exhaustively with SIMD cosine similarity (fast to tens of
/// thousands of passages), appended to <c>&lt;DataDirectory&gt;/knowledge.jsonl</c> and loaded again at start.
/// </summary>
public sealed class EmbeddedVectorStore : IVectorStore
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, VectorRecord> _records = new(StringComparer.Ordinal);

    public EmbeddedVectorStore(IOptions<EmbeddedOptions> options)
    {
        _path = Path.Combine(options.Value.DataDirectory, "knowledge.jsonl");
        if (!File.Exists(_path))
        {
            return;
        }

        foreach (var line in File.ReadLines(_path))
        {
            if (line.Length > 0 && JsonSerializer.Deserialize<VectorRecord>(line, ChatJson.Options) is { } record)
            {
                _records[record.Id] = record;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var lines = records.Select(r => JsonSerializer.Serialize(r, ChatJson.Options)).ToList();
        await File.AppendAllLinesAsync(_path, lines, cancellationToken);
        lock (_gate)
        {
            foreach (var record in records)
            {
                _records[record.Id] = record;
            }
        }
    }

    /// <summary>
    /// The fallback when no embedding model is available: passages ranked by the share of the query's words (a trailing
    /// plural 's' forgiven) that occur in their title or text.
    /// </summary>
    public IReadOnlyList<(VectorRecord Record, double Score)> SearchWords(string query, int k)
    {
        var wanted = Agents.AgentRouter.Words(query).Where(w => w.Length > 2).Select(w => w.TrimEnd('s')).Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length == 0)
        {
            return [];
        }

        List<VectorRecord> all;
        lock (_gate)
        {
            all = [.. _records.Values];
        }

        return all
            .Select(r =>
            {
                var words = Agents.AgentRouter.Words(r.Title + " " + r.Text).Select(w => w.TrimEnd('s')).ToHashSet(StringComparer.Ordinal);
                return (Record: r, Score: (double)wanted.Count(words.Contains) / wanted.Length);
            })
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .Take(k)
            .ToList();
    }

    /// <summary>Records whose vector does not have <paramref name="dimensions"/> entries: made by another model, or stored without one.</summary>
    public IReadOnlyList<VectorRecord> Stale(int dimensions)
    {
        lock (_gate)
        {
            return _records.Values.Where(r => r.Vector.Length != dimensions).ToList();
        }
    }

    public Task<IReadOnlyList<(VectorRecord Record, double Score)>> SearchAsync(float[] vector, int k, CancellationToken cancellationToken)
    {
        List<VectorRecord> all;
        lock (_gate)
        {
            all = [.. _records.Values];
        }

        IReadOnlyList<(VectorRecord, double)> best = all
            .Where(r => r.Vector.Length == vector.Length)
            .Select(r => (Record: r, Score: (double)TensorPrimitives.CosineSimilarity(vector, r.Vector)))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .Take(k)
            .ToList();
        return Task.FromResult(best);
    }
}
