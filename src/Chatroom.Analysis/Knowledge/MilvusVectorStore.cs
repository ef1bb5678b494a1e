using System.Globalization;
using System.Linq.Expressions;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.VectorData;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Passages in a Milvus collection over its REST API v2 (<c>/v2/vectordb/…</c>). The collection is created on first
/// write with the embedder's dimension: <c>id</c> VarChar primary key, <c>vector</c> FloatVector with a COSINE index,
/// and <c>document_id</c>, <c>title</c>, <c>text</c> VarChar fields; creating it with an index also loads it. Every answer
/// is the <c>{"code":0,"data":…}</c> envelope; any other code becomes a <see cref="MilvusException"/>.
/// </summary>
public sealed partial class MilvusVectorStore : KnowledgeCollection
{
    public const string IdField = "id";
    public const string VectorField = "vector";
    public const string DocumentIdField = "document_id";
    public const string TitleField = "title";
    public const string TextField = "text";

    /// <summary>VarChar limits, in bytes of UTF-8 (Milvus counts bytes); longer values are cut at a character boundary.</summary>
    public const int MaxIdBytes = 128;
    public const int MaxDocumentIdBytes = 64;
    public const int MaxTitleBytes = 1024;
    public const int MaxTextBytes = 16_384;

    /// <summary>Rows per upsert request, far under Milvus's request size limit even at 4096 dimensions.</summary>
    public const int UpsertBatchSize = 100;

    private static readonly string[] OutputFields = [DocumentIdField, TitleField, TextField];

    private readonly HttpClient _http;
    private readonly MilvusConnection _connection;
    private readonly TimeSpan _timeout;
    private readonly ILogger<MilvusVectorStore> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    /// <param name="http">The HTTP client; its own timeout should be infinite, <paramref name="timeout"/> applies per request.</param>
    public MilvusVectorStore(HttpClient http, MilvusConnection connection, string collection, TimeSpan timeout, ILogger<MilvusVectorStore> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        _http = http;
        _connection = connection;
        Collection = collection;
        _timeout = timeout;
        _logger = logger;
    }

    public string Collection { get; }

    /// <summary>Where Milvus is (without the token).</summary>
    public MilvusConnection Connection => _connection;

    public override string Name => Collection;

    public override async Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        var has = await PostAsync("collections/has", new JsonObject(), cancellationToken).ConfigureAwait(false);
        return has.TryGetProperty("has", out var exists) && exists.ValueKind == JsonValueKind.True;
    }

    /// <summary>
    /// Loads the collection when it exists. It is created by the first upsert, which knows the embedding model's
    /// dimension; before that there is nothing to create it with.
    /// </summary>
    public override async Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        if (!await EnsureCollectionAsync(0, create: false, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The Milvus collection {Collection} is created by the first upsert, with the dimension of its vectors.");
        }
    }

    /// <summary>The dimension of the collection's vectors (the embedding model that built it), or null when there is no collection.</summary>
    public async Task<int?> DimensionAsync(CancellationToken cancellationToken = default)
    {
        if (!await CollectionExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var description = await PostAsync("collections/describe", new JsonObject(), cancellationToken).ConfigureAwait(false);
        foreach (var field in description.GetProperty("fields").EnumerateArray())
        {
            if (field.GetProperty("name").GetString() == VectorField && field.TryGetProperty("params", out var parameters))
            {
                foreach (var parameter in parameters.EnumerateArray())
                {
                    if (parameter.GetProperty("key").GetString() == "dim")
                    {
                        var value = parameter.GetProperty("value");
                        return value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, CultureInfo.InvariantCulture);
                    }
                }
            }
        }

        throw new MilvusException("collections/describe", 0, $"the collection {Collection} has no {VectorField} field with a dimension");
    }

    public override async Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        if (await CollectionExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await PostAsync("collections/drop", new JsonObject(), cancellationToken).ConfigureAwait(false);
        }

        _ready = false;
    }

    public override async Task<VectorRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        await foreach (var record in GetAsync([key], options, cancellationToken).ConfigureAwait(false))
        {
            return record;
        }

        return null;
    }

    public override async IAsyncEnumerable<VectorRecord> GetAsync(
        IEnumerable<string> keys, RecordRetrievalOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ids = new JsonArray(keys.Select(k => (JsonNode?)k).ToArray());
        if (ids.Count == 0 || !await EnsureCollectionAsync(0, create: false, cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        var data = await PostAsync("entities/get", new JsonObject { ["id"] = ids, ["outputFields"] = Fields(options?.IncludeVectors == true) }, cancellationToken).ConfigureAwait(false);
        foreach (var record in Records(data))
        {
            yield return record;
        }
    }

    public override async IAsyncEnumerable<VectorRecord> GetAsync(
        Expression<Func<VectorRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<VectorRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var expression = MilvusFilter.Translate(filter);
        if (!await EnsureCollectionAsync(0, create: false, cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        var data = await PostAsync("entities/query", new JsonObject
        {
            ["filter"] = expression,
            ["limit"] = top,
            ["offset"] = options?.Skip ?? 0,
            ["outputFields"] = Fields(options?.IncludeVectors == true),
        }, cancellationToken).ConfigureAwait(false);
        foreach (var record in Records(data))
        {
            yield return record;
        }
    }

    public override async Task DeleteAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var ids = keys.ToList();
        if (ids.Count == 0 || !await EnsureCollectionAsync(0, create: false, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await PostAsync("entities/delete", new JsonObject { ["filter"] = MilvusFilter.IdIn(ids) }, cancellationToken).ConfigureAwait(false);
    }

    public override async Task UpsertAsync(IEnumerable<VectorRecord> upserted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upserted);
        var records = upserted.ToList();
        if (records.Count == 0)
        {
            return;
        }

        var dimension = records[0].Vector.Length;
        if (dimension == 0 || records.Any(r => r.Vector.Length != dimension))
        {
            throw new ArgumentException("Every vector of one upsert must have the same, non-zero dimension.", nameof(records));
        }

        await EnsureCollectionAsync(dimension, create: true, cancellationToken).ConfigureAwait(false);
        foreach (var batch in records.Chunk(UpsertBatchSize))
        {
            var rows = new JsonArray();
            foreach (var record in batch)
            {
                rows.Add(new JsonObject
                {
                    [IdField] = Cut(record.Id, MaxIdBytes),
                    [VectorField] = new JsonArray(record.Vector.Select(v => (JsonNode?)v).ToArray()),
                    [DocumentIdField] = Cut(record.DocumentId, MaxDocumentIdBytes),
                    [TitleField] = Cut(record.Title, MaxTitleBytes),
                    [TextField] = Cut(record.Text, MaxTextBytes),
                });
            }

            await PostAsync("entities/upsert", new JsonObject { ["data"] = rows }, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async IAsyncEnumerable<VectorSearchResult<VectorRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<VectorRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var vector = VectorOf(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var filter = options?.Filter is { } expression ? MilvusFilter.Translate(expression) : null;
        if (!await EnsureCollectionAsync(vector.Length, create: false, cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        var body = new JsonObject
        {
            ["data"] = new JsonArray(new JsonArray(vector.Select(v => (JsonNode?)v).ToArray())),
            ["annsField"] = VectorField,
            ["limit"] = top,
            ["offset"] = options?.Skip ?? 0,
            ["outputFields"] = new JsonArray(OutputFields.Select(f => (JsonNode?)f).ToArray()),
            ["searchParams"] = new JsonObject { ["metricType"] = "COSINE" },
        };
        if (filter is not null)
        {
            body["filter"] = filter;
        }

        var data = await PostAsync("entities/search", body, cancellationToken).ConfigureAwait(false);
        if (data.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var hit in data.EnumerateArray())
        {
            // With COSINE the distance is the similarity itself: higher is closer. Like the embedded index, unrelated
            // passages (similarity ≤ 0, or under the threshold asked for) are not hits.
            var score = hit.GetProperty("distance").GetDouble();
            if (score <= Math.Max(0, options?.ScoreThreshold ?? 0))
            {
                continue;
            }

            yield return new VectorSearchResult<VectorRecord>(ToRecord(hit), score);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private static JsonArray Fields(bool withVector) =>
        new([(JsonNode?)IdField, .. OutputFields.Select(f => (JsonNode?)f), .. withVector ? new JsonNode?[] { VectorField } : []]);

    private static IEnumerable<VectorRecord> Records(JsonElement data) =>
        data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().Select(ToRecord).ToList() : [];

    private static VectorRecord ToRecord(JsonElement row) => new(
        row.GetProperty(IdField).ToString(),
        String(row, DocumentIdField),
        String(row, TitleField),
        String(row, TextField),
        row.TryGetProperty(VectorField, out var vector) && vector.ValueKind == JsonValueKind.Array ? vector.EnumerateArray().Select(v => v.GetSingle()).ToArray() : []);

    /// <summary>True when the collection exists (and is loaded); creates it first when <paramref name="create"/>.</summary>
    private async Task<bool> EnsureCollectionAsync(int dimension, bool create, CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return true;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return true;
            }

            var has = await PostAsync("collections/has", new JsonObject(), cancellationToken).ConfigureAwait(false);
            if (has.TryGetProperty("has", out var exists) && exists.ValueKind == JsonValueKind.True)
            {
                // A collection created by someone else (or released) may not be in memory; loading a loaded one is a no-op.
                await PostAsync("collections/load", new JsonObject(), cancellationToken).ConfigureAwait(false);
                LogCollectionLoaded(_logger, Collection, _connection.Database);
            }
            else if (create)
            {
                await PostAsync("collections/create", CreateRequest(dimension), cancellationToken).ConfigureAwait(false);
                LogCollectionCreated(_logger, Collection, _connection.Database, dimension);
            }
            else
            {
                return false;
            }

            _ready = true;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static JsonObject CreateRequest(int dimension)
    {
        static JsonObject VarChar(string name, int maxBytes, bool primary = false) => new()
        {
            ["fieldName"] = name,
            ["dataType"] = "VarChar",
            ["isPrimary"] = primary,
            ["elementTypeParams"] = new JsonObject { ["max_length"] = maxBytes.ToString(CultureInfo.InvariantCulture) },
        };

        return new JsonObject
        {
            ["schema"] = new JsonObject
            {
                ["autoId"] = false,
                ["enableDynamicField"] = false,
                ["fields"] = new JsonArray(
                    VarChar(IdField, MaxIdBytes, primary: true),
                    new JsonObject
                    {
                        ["fieldName"] = VectorField,
                        ["dataType"] = "FloatVector",
                        ["elementTypeParams"] = new JsonObject { ["dim"] = dimension.ToString(CultureInfo.InvariantCulture) },
                    },
                    VarChar(DocumentIdField, MaxDocumentIdBytes),
                    VarChar(TitleField, MaxTitleBytes),
                    VarChar(TextField, MaxTextBytes)),
            },
            ["indexParams"] = new JsonArray(new JsonObject
            {
                ["fieldName"] = VectorField,
                ["indexName"] = VectorField,
                ["metricType"] = "COSINE",
                ["params"] = new JsonObject { ["index_type"] = "AUTOINDEX" },
            }),
        };
    }

    /// <summary>Posts to <c>/v2/vectordb/{operation}</c> and returns the envelope's <c>data</c> (undefined when absent).</summary>
    private async Task<JsonElement> PostAsync(string operation, JsonObject body, CancellationToken cancellationToken)
    {
        body["dbName"] = _connection.Database;
        body["collectionName"] = Collection;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var uri = new Uri(_connection.Endpoint, "v2/vectordb/" + operation);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) };
            request.Headers.Add("Request-Timeout", ((int)Math.Ceiling(_timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
            if (_connection.Token is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(text);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new KnowledgeBackendException($"Milvus at {uri} answered {(int)response.StatusCode} with something that is not JSON: {Truncate(text)}", ex);
            }

            // Milvus answers errors inside a 200 as often as with an HTTP error status (401 for authentication).
            var code = root.TryGetProperty("code", out var codeElement) && codeElement.TryGetInt32(out var value) ? value : (int?)null;
            if (code is not (0 or 200))
            {
                var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : Truncate(text);
                if (code is { } milvusCode)
                {
                    throw new MilvusException($"{operation} on {_connection.Database}.{Collection}", milvusCode, message);
                }

                throw new KnowledgeBackendException($"Milvus at {uri} answered {(int)response.StatusCode} without a code: {message}");
            }

            return root.TryGetProperty("data", out var data) ? data : default;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KnowledgeBackendException($"Milvus at {uri} did not answer within {_timeout.TotalSeconds:0.#} s (Chatroom:Knowledge:RequestTimeout).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new KnowledgeBackendException($"Milvus at {uri} is unreachable: {ex.Message}", ex);
        }
    }

    private static string String(JsonElement hit, string field) =>
        hit.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    /// <summary>At most <paramref name="maxBytes"/> bytes of UTF-8, never splitting a character.</summary>
    internal static string Cut(string value, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }

        var bytes = 0;
        var end = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return value[..end];
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "Created Milvus collection {Collection} in database {Database} for {Dimension}-dimensional vectors (COSINE)")]
    private static partial void LogCollectionCreated(ILogger logger, string collection, string database, int dimension);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Information, Message = "Using existing Milvus collection {Collection} in database {Database}")]
    private static partial void LogCollectionLoaded(ILogger logger, string collection, string database);
}
