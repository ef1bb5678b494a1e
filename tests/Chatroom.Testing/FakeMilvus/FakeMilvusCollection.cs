using System.Text.Json;

namespace Chatroom.Testing.FakeMilvus;

/// <summary>One field of a fake collection's schema.</summary>
public sealed record FakeMilvusField(string Name, string DataType, bool IsPrimary, int? Dimension, int? MaxLength);

/// <summary>A collection held by <see cref="FakeMilvusServer"/>: its schema, index metric, load state and rows.</summary>
public sealed class FakeMilvusCollection(string database, string name, IReadOnlyList<FakeMilvusField> fields, string? metricType)
{
    public string Database { get; } = database;

    public string Name { get; } = name;

    public IReadOnlyList<FakeMilvusField> Fields { get; } = fields;

    /// <summary>The vector index's metric (COSINE, IP or L2), or null when no index was created.</summary>
    public string? MetricType { get; internal set; } = metricType;

    public bool Loaded { get; internal set; }

    /// <summary>Takes the collection out of memory, as <c>collections/release</c> does: searches fail until it is loaded.</summary>
    public void Release() => Loaded = false;

    /// <summary>Rows by primary key, each a JSON object as inserted.</summary>
    internal Dictionary<string, JsonElement> Rows { get; } = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (Rows)
            {
                return Rows.Count;
            }
        }
    }

    public FakeMilvusField Primary => Fields.Single(f => f.IsPrimary);

    public FakeMilvusField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
}
