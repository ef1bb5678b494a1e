using System.Linq.Expressions;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Core.Chat;
using Chatroom.Embedded;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// An in-process index: every vector in memory, searched exhaustively with SIMD cosine similarity (fast to tens of
/// thousands of passages), appended to <c>&lt;DataDirectory&gt;/knowledge.jsonl</c> and loaded again at start.
/// </summary>
public sealed class LocalVectorIndex : KnowledgeCollection
{
    public const string CollectionName = "knowledge";

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, VectorRecord> _records = new(StringComparer.Ordinal);

    public LocalVectorIndex(IOptions<EmbeddedOptions> options)
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

    public override string Name => CollectionName;

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(_path) || Count > 0);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        if (!File.Exists(_path))
        {
            File.WriteAllText(_path, string.Empty);
        }

        return Task.CompletedTask;
    }

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _records.Clear();
            File.Delete(_path);
        }

        return Task.CompletedTask;
    }

    public override async Task UpsertAsync(IEnumerable<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        var list = records.ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var lines = list.Select(r => JsonSerializer.Serialize(r, ChatJson.Options)).ToList();
        await File.AppendAllLinesAsync(_path, lines, cancellationToken);
        lock (_gate)
        {
            foreach (var record in list)
            {
                _records[record.Id] = record;
            }
        }
    }

    public override Task<VectorRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.GetValueOrDefault(key));
        }
    }

    public override async IAsyncEnumerable<VectorRecord> GetAsync(IEnumerable<string> keys, RecordRetrievalOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var key in keys)
        {
            if (await GetAsync(key, options, cancellationToken) is { } record)
            {
                yield return record;
            }
        }
    }

    public override IAsyncEnumerable<VectorRecord> GetAsync(
        Expression<Func<VectorRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<VectorRecord>? options = null, CancellationToken cancellationToken = default)
    {
        var predicate = filter.Compile();
        List<VectorRecord> all;
        lock (_gate)
        {
            all = [.. _records.Values];
        }

        return all.Where(predicate).OrderBy(r => r.Id, StringComparer.Ordinal).Skip(options?.Skip ?? 0).Take(top).ToAsyncEnumerable();
    }

    /// <summary>Removes the records and rewrites the file without them.</summary>
    public override async Task DeleteAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        List<string> lines;
        lock (_gate)
        {
            foreach (var key in keys)
            {
                _records.Remove(key);
            }

            lines = _records.Values.Select(r => JsonSerializer.Serialize(r, ChatJson.Options)).ToList();
        }

        var temporary = _path + ".tmp";
        await File.WriteAllLinesAsync(temporary, lines, cancellationToken);
        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>
    /// The fallback when no embedding model is available: passages ranked by the share of the query's words (a trailing
    /// plural 's' forgiven) that occur in their title or text.
    /// </summary>
    public IReadOnlyList<(VectorRecord Record, double Score)> SearchWords(string query, int k)
    {
        var wanted = Agents.Routing.AgentRouter.Words(query).Where(w => w.Length > 2).Select(w => w.TrimEnd('s')).Distinct(StringComparer.Ordinal).ToArray();
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
                var words = Agents.Routing.AgentRouter.Words(r.Title + " " + r.Text).Select(w => w.TrimEnd('s')).ToHashSet(StringComparer.Ordinal);
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

    public override IAsyncEnumerable<VectorSearchResult<VectorRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<VectorRecord>? options = null, CancellationToken cancellationToken = default)
    {
        var vector = VectorOf(searchValue);
        var filter = Compile(options?.Filter);
        List<VectorRecord> all;
        lock (_gate)
        {
            all = [.. _records.Values];
        }

        return all
            .Where(r => r.Vector.Length == vector.Length && (filter is null || filter(r)))
            .Select(r => (Record: r, Score: (double)TensorPrimitives.CosineSimilarity(vector, r.Vector)))
            .Where(x => x.Score > Math.Max(0, options?.ScoreThreshold ?? 0))
            .OrderByDescending(x => x.Score)
            .Skip(options?.Skip ?? 0)
            .Take(top)
            .Select(x => new VectorSearchResult<VectorRecord>(x.Record, Math.Round(x.Score, 6)))
            .ToAsyncEnumerable();
    }
}
