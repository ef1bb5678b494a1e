using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatroom.Testing.FakeMilvus;

/// <summary>
/// A protocol-faithful fake of Milvus's REST API v2 on loopback, in memory: <c>POST /v2/vectordb/collections/{has,
/// create, describe, load, release, get_load_state, drop}</c> and <c>/v2/vectordb/entities/{insert, upsert, search}</c>. Answers use
/// Milvus's envelope (<c>{"code":0,"data":…}</c>, errors <c>{"code":N,"message":…}</c> inside HTTP 200, authentication
/// failures as HTTP 401 with code 1800) and Milvus's error codes: 100 collection not found, 101 not loaded,
/// 800 database not found, 1100 invalid parameter, 1801 not JSON, 1802 missing parameter, 1804 bad insert data.
/// Search is exact (brute force) with the index's metric; with COSINE the distance is the similarity, best first.
/// </summary>
public sealed class FakeMilvusServer : IAsyncDisposable
{
    public const string DefaultToken = "root:Milvus";

    private readonly ConcurrentDictionary<(string Database, string Name), FakeMilvusCollection> _collections = new();
    private readonly ConcurrentQueue<(string Path, JsonElement Body)> _requests = new();
    private WebApplication? _app;

    private FakeMilvusServer()
    {
    }

    /// <summary>The server's base address, ending in a slash.</summary>
    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The bearer token every request must carry; null turns authentication off.</summary>
    public string? Token { get; set; } = DefaultToken;

    /// <summary>Databases that exist besides <c>default</c>.</summary>
    public HashSet<string> Databases { get; } = new(StringComparer.Ordinal) { "default" };

    /// <summary>Requests (path after <c>/v2/vectordb/</c> and body), oldest first.</summary>
    public IReadOnlyList<(string Path, JsonElement Body)> Requests => _requests.ToArray();

    /// <summary>The connection string the application reads: <c>Endpoint=…;Key=…;Database=…</c>.</summary>
    public string ConnectionString(string database = "default") =>
        Token is null ? $"Endpoint={Endpoint};Database={database}" : $"Endpoint={Endpoint};Key={Token};Database={database}";

    public FakeMilvusCollection? Collection(string name, string database = "default") =>
        _collections.TryGetValue((database, name), out var collection) ? collection : null;

    public static async Task<FakeMilvusServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new FakeMilvusServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v2/vectordb/{category}/{action}", server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/");
        server._app = app;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context, string category, string action)
    {
        if (Token is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            await WriteAsync(context, new { code = 1800, message = "user hasn't authenticated" }, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            await WriteAsync(context, Error(1801, "can only accept json format request, error: " + ex.Message)).ConfigureAwait(false);
            return;
        }

        _requests.Enqueue(($"{category}/{action}", body));
        var database = Str(body, "dbName") is { Length: > 0 } db ? db : "default";
        if (!Databases.Contains(database))
        {
            await WriteAsync(context, Error(800, $"database not found[database={database}]")).ConfigureAwait(false);
            return;
        }

        if (Str(body, "collectionName") is not { Length: > 0 } name)
        {
            await WriteAsync(context, Error(1802, "missing required parameters, error: Key: 'collectionName' Error:Field validation for 'collectionName' failed on the 'required' tag")).ConfigureAwait(false);
            return;
        }

        var answer = (category, action) switch
        {
            ("collections", "has") => Ok(new { has = _collections.ContainsKey((database, name)) }),
            ("collections", "create") => Create(database, name, body),
            ("collections", "describe") => WithCollection(database, name, Describe),
            ("collections", "load") => WithCollection(database, name, c => { c.Loaded = true; return Ok(new { }); }),
            ("collections", "release") => WithCollection(database, name, c => { c.Release(); return Ok(new { }); }),
            ("collections", "get_load_state") => WithCollection(database, name, c => Ok(new { loadState = c.Loaded ? "LoadStateLoaded" : "LoadStateNotLoad", loadProgress = c.Loaded ? 100 : 0 })),
            ("collections", "drop") => Drop(database, name),
            ("entities", "insert") => WithCollection(database, name, c => Write(c, body, upsert: false)),
            ("entities", "upsert") => WithCollection(database, name, c => Write(c, body, upsert: true)),
            ("entities", "search") => WithCollection(database, name, c => Search(c, body)),
            ("entities", "get") => WithCollection(database, name, c => Get(c, body)),
            ("entities", "query") => WithCollection(database, name, c => Query(c, body)),
            ("entities", "delete") => WithCollection(database, name, c => Delete(c, body)),
            _ => null,
        };

        if (answer is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("404 page not found", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, answer).ConfigureAwait(false);
    }

    private object WithCollection(string database, string name, Func<FakeMilvusCollection, object> action) =>
        _collections.TryGetValue((database, name), out var collection)
            ? action(collection)
            : Error(100, $"collection not found[database={database}][collection={name}]");

    private object Create(string database, string name, JsonElement body)
    {
        if (!body.TryGetProperty("schema", out var schema) || !schema.TryGetProperty("fields", out var fieldsElement) || fieldsElement.GetArrayLength() == 0)
        {
            // The quick setup: id Int64 primary key, "vector" of "dimension", COSINE by default.
            if (!body.TryGetProperty("dimension", out var dim) || !dim.TryGetInt32(out var quickDimension) || quickDimension < 1)
            {
                return Error(1100, "invalid parameter[expected=dimension > 0]");
            }

            var quick = new FakeMilvusCollection(database, name,
                [new FakeMilvusField("id", "Int64", true, null, null), new FakeMilvusField("vector", "FloatVector", false, quickDimension, null)],
                Str(body, "metricType") ?? "COSINE") { Loaded = true };
            _collections.TryAdd((database, name), quick);
            return Ok(new { });
        }

        var fields = new List<FakeMilvusField>();
        foreach (var field in fieldsElement.EnumerateArray())
        {
            var fieldName = Str(field, "fieldName");
            var dataType = Str(field, "dataType");
            if (string.IsNullOrEmpty(fieldName) || dataType is not ("Int64" or "VarChar" or "FloatVector" or "Bool" or "Float" or "Double" or "Int32" or "JSON"))
            {
                return Error(1100, $"invalid parameter[expected=a field name and a supported data type][actual={fieldName}:{dataType}]");
            }

            var parameters = field.TryGetProperty("elementTypeParams", out var p) ? p : default;
            var dimension = Int(parameters, "dim");
            var maxLength = Int(parameters, "max_length");
            if (dataType == "FloatVector" && dimension is not (> 0 and <= 32768))
            {
                return Error(1100, $"invalid parameter[expected=dim in [1, 32768]][actual={dimension}] for field {fieldName}");
            }

            if (dataType == "VarChar" && maxLength is not (> 0 and <= 65535))
            {
                return Error(1100, $"invalid parameter[expected=max_length in [1, 65535]][actual={maxLength}] for field {fieldName}");
            }

            fields.Add(new FakeMilvusField(fieldName, dataType, field.TryGetProperty("isPrimary", out var primary) && primary.ValueKind == JsonValueKind.True, dimension, maxLength));
        }

        if (fields.Count(f => f.IsPrimary) != 1 || fields.Single(f => f.IsPrimary).DataType is not ("Int64" or "VarChar"))
        {
            return Error(1100, "invalid parameter: a collection needs exactly one Int64 or VarChar primary key");
        }

        if (!fields.Any(f => f.DataType == "FloatVector"))
        {
            return Error(1100, "invalid parameter: schema does not contain vector field");
        }

        string? metric = null;
        var indexedVectors = 0;
        if (body.TryGetProperty("indexParams", out var indexes) && indexes.ValueKind == JsonValueKind.Array)
        {
            foreach (var index in indexes.EnumerateArray())
            {
                var fieldName = Str(index, "fieldName") ?? string.Empty;
                var field = fields.FirstOrDefault(f => f.Name == fieldName);
                if (field is null)
                {
                    return Error(1802, $"missing required parameters, error: `{fieldName}` hasn't defined in schema");
                }

                if (field.DataType == "FloatVector")
                {
                    metric = Str(index, "metricType") ?? "COSINE";
                    if (metric is not ("COSINE" or "IP" or "L2"))
                    {
                        return Error(1100, $"invalid parameter[expected=metric type in COSINE, IP, L2][actual={metric}]");
                    }

                    indexedVectors++;
                }
            }
        }

        var created = new FakeMilvusCollection(database, name, fields, metric)
        {
            // Milvus loads a collection created with an index on every vector field.
            Loaded = indexedVectors == fields.Count(f => f.DataType == "FloatVector"),
        };
        if (!_collections.TryAdd((database, name), created))
        {
            var existing = _collections[(database, name)];
            return existing.Fields.SequenceEqual(fields) ? Ok(new { }) : Error(65535, $"create duplicate collection with different parameters, collection: {name}");
        }

        return Ok(new { });
    }

    /// <summary>Dropping a collection that does not exist succeeds, as in Milvus.</summary>
    private object Drop(string database, string name)
    {
        _collections.TryRemove((database, name), out _);
        return Ok(new { });
    }

    private static object Describe(FakeMilvusCollection collection) => Ok(new
    {
        collectionName = collection.Name,
        load = collection.Loaded ? "LoadStateLoaded" : "LoadStateNotLoad",
        fields = collection.Fields.Select(f => new
        {
            name = f.Name,
            type = f.DataType,
            primaryKey = f.IsPrimary,
            autoId = false,
            @params = (f.Dimension is { } d ? new[] { new { key = "dim", value = d.ToString(CultureInfo.InvariantCulture) } } : [])
                .Concat(f.MaxLength is { } m ? [new { key = "max_length", value = m.ToString(CultureInfo.InvariantCulture) }] : []).ToArray(),
        }).ToArray(),
        indexes = collection.MetricType is { } metric
            ? new[] { new { fieldName = collection.Fields.First(f => f.DataType == "FloatVector").Name, indexName = collection.Fields.First(f => f.DataType == "FloatVector").Name, metricType = metric } }
            : [],
    });

    private static object Write(FakeMilvusCollection collection, JsonElement body, bool upsert)
    {
        if (!body.TryGetProperty("data", out var data))
        {
            return Error(1802, "missing required parameters, error: Key: 'data' Error:Field validation for 'data' failed on the 'required' tag");
        }

        var rows = data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [data];
        var ids = new List<string>();
        foreach (var row in rows)
        {
            foreach (var field in collection.Fields)
            {
                if (!row.TryGetProperty(field.Name, out var value))
                {
                    return Error(1804, $"fail to deal the insert data, error: need pass parameter '{field.Name}' for field");
                }

                switch (field.DataType)
                {
                    case "FloatVector" when value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != field.Dimension:
                        return Error(1804, $"fail to deal the insert data, error: the dim ({(value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 0)}) of field data({field.Name}) is not equal to schema dim ({field.Dimension})");
                    case "VarChar" when value.ValueKind != JsonValueKind.String:
                        return Error(1804, $"fail to deal the insert data, error: field {field.Name} expects a string");
                    case "VarChar" when Encoding.UTF8.GetByteCount(value.GetString()!) > field.MaxLength:
                        return Error(1100, $"the length ({Encoding.UTF8.GetByteCount(value.GetString()!)}) of varchar field ({field.Name}) exceeds max length ({field.MaxLength}): invalid parameter");
                }
            }

            ids.Add(row.GetProperty(collection.Primary.Name).ToString());
        }

        lock (collection.Rows)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                // Insert keeps duplicates in real Milvus; the fake keys rows by id, which is what upsert does.
                collection.Rows[ids[i]] = rows[i].Clone();
            }
        }

        return upsert ? Ok(new { upsertCount = rows.Count, upsertIds = ids }) : Ok(new { insertCount = rows.Count, insertIds = ids });
    }

    private static object Search(FakeMilvusCollection collection, JsonElement body)
    {
        if (!collection.Loaded)
        {
            return Error(101, $"collection not loaded[collection={collection.Name}]");
        }

        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            return Error(1802, "missing required parameters, error: Key: 'data' Error:Field validation for 'data' failed on the 'required' tag");
        }

        var annsField = Str(body, "annsField") ?? collection.Fields.First(f => f.DataType == "FloatVector").Name;
        var field = collection.Field(annsField);
        if (field is not { DataType: "FloatVector" })
        {
            return Error(1100, $"invalid parameter: failed to get field schema by name: fieldName({annsField}) not found or not a vector field");
        }

        var limit = body.TryGetProperty("limit", out var l) && l.TryGetInt32(out var parsedLimit) ? parsedLimit : 100;
        if (limit is < 1 or > 16384)
        {
            return Error(1100, $"invalid parameter[expected=limit in [1, 16384]][actual={limit}]");
        }

        var metric = collection.MetricType ?? "COSINE";
        var requested = body.TryGetProperty("searchParams", out var sp) ? Str(sp, "metricType") : null;
        if (requested is not null && requested != metric)
        {
            return Error(1100, $"invalid parameter: metric type not match: invalid parameter[expected={metric}][actual={requested}]");
        }

        var outputFields = body.TryGetProperty("outputFields", out var of) && of.ValueKind == JsonValueKind.Array
            ? of.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [];
        if (outputFields.FirstOrDefault(n => collection.Field(n) is null) is { } unknown)
        {
            return Error(1100, $"invalid parameter: field {unknown} not exist");
        }

        List<JsonElement> rows;
        lock (collection.Rows)
        {
            rows = [.. collection.Rows.Values];
        }

        if (Str(body, "filter") is { Length: > 0 } filter)
        {
            var predicate = FakeMilvusFilter.Parse(filter);
            rows = rows.Where(predicate).ToList();
        }

        var results = new List<Dictionary<string, object?>>();
        foreach (var query in data.EnumerateArray())
        {
            var vector = query.EnumerateArray().Select(v => v.GetSingle()).ToArray();
            if (vector.Length != field.Dimension)
            {
                return Error(1100, $"the dimension of the vector ({vector.Length}) does not match the dimension of field {annsField} ({field.Dimension}): invalid parameter");
            }

            var scored = rows.Select(row => (Row: row, Distance: Distance(metric, vector, row.GetProperty(annsField).EnumerateArray().Select(v => v.GetSingle()).ToArray())));
            scored = metric == "L2" ? scored.OrderBy(x => x.Distance) : scored.OrderByDescending(x => x.Distance);
            foreach (var (row, distance) in scored.Take(limit))
            {
                var hit = new Dictionary<string, object?> { [collection.Primary.Name] = row.GetProperty(collection.Primary.Name).Clone(), ["distance"] = distance };
                foreach (var name in outputFields)
                {
                    hit[name] = row.GetProperty(name).Clone();
                }

                results.Add(hit);
            }
        }

        return Ok(results);
    }

    /// <summary><c>entities/get</c>: rows by primary key, with the output fields asked for.</summary>
    private static object Get(FakeMilvusCollection collection, JsonElement body)
    {
        if (!collection.Loaded)
        {
            return Error(101, $"collection not loaded[collection={collection.Name}]");
        }

        var ids = body.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Array ? id.EnumerateArray().Select(i => i.ToString()).ToList() : [];
        lock (collection.Rows)
        {
            return Ok(ids.Where(collection.Rows.ContainsKey).Select(i => Project(collection, collection.Rows[i], body)).ToList());
        }
    }

    /// <summary><c>entities/query</c>: rows matching a filter expression, with limit and offset.</summary>
    private static object Query(FakeMilvusCollection collection, JsonElement body)
    {
        if (!collection.Loaded)
        {
            return Error(101, $"collection not loaded[collection={collection.Name}]");
        }

        if (Str(body, "filter") is not { Length: > 0 } filter)
        {
            return Error(1100, "empty expression should be used with limit");
        }

        var limit = body.TryGetProperty("limit", out var l) && l.TryGetInt32(out var parsedLimit) ? parsedLimit : 100;
        var offset = body.TryGetProperty("offset", out var o) && o.TryGetInt32(out var parsedOffset) ? parsedOffset : 0;
        var predicate = FakeMilvusFilter.Parse(filter);
        lock (collection.Rows)
        {
            return Ok(collection.Rows.Values.Where(predicate).OrderBy(r => r.GetProperty(collection.Primary.Name).ToString(), StringComparer.Ordinal)
                .Skip(offset).Take(limit).Select(r => Project(collection, r, body)).ToList());
        }
    }

    /// <summary><c>entities/delete</c>: removes the rows a filter expression matches.</summary>
    private static object Delete(FakeMilvusCollection collection, JsonElement body)
    {
        if (Str(body, "filter") is not { Length: > 0 } filter)
        {
            return Error(1100, "filter is required");
        }

        var predicate = FakeMilvusFilter.Parse(filter);
        lock (collection.Rows)
        {
            foreach (var key in collection.Rows.Where(r => predicate(r.Value)).Select(r => r.Key).ToList())
            {
                collection.Rows.Remove(key);
            }
        }

        return Ok(new { });
    }

    private static Dictionary<string, object?> Project(FakeMilvusCollection collection, JsonElement row, JsonElement body)
    {
        var result = new Dictionary<string, object?> { [collection.Primary.Name] = row.GetProperty(collection.Primary.Name).Clone() };
        if (body.TryGetProperty("outputFields", out var fields) && fields.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in fields.EnumerateArray().Select(f => f.GetString()!).Where(n => row.TryGetProperty(n, out _)))
            {
                result[name] = row.GetProperty(name).Clone();
            }
        }

        return result;
    }

    private static double Distance(string metric, float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0, l2 = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
            l2 += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return metric switch
        {
            "IP" => dot,
            "L2" => l2,
            _ => na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb),
        };
    }

    private static object Ok(object data) => new { code = 0, data };

    private static object Error(int code, string message) => new { code, message };

    private static string? Str(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Milvus takes type params as strings ("dim": "768") and, in newer versions, as numbers.</summary>
    private static int? Int(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n
            : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s
            : null
            : null;

    private static async Task WriteAsync(HttpContext context, object value, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(value), context.RequestAborted).ConfigureAwait(false);
    }
}
