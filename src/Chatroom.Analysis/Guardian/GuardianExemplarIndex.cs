using System.Numerics.Tensors;
using Chatroom.Analysis.Knowledge;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Guardian;

/// <summary>
/// Per signal, the local MiniLM vectors of its exemplar phrases ("+": what it sounds like; "-": harmless look-alikes). The
/// shipped phrases (guardian-exemplars.txt) embed once on first use; lines from confirmed cases are added at run time, so
/// what moderators confirm is recognised next time.
/// </summary>
public sealed class GuardianExemplarIndex(LocalEmbeddingGenerator embeddings)
{
    public const string ResourceName = "Chatroom.Analysis.Guardian.guardian-exemplars.txt";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private Dictionary<string, (List<float[]> Positive, List<float[]> Negative)>? _vectors;

    /// <summary>The shipped exemplars: (signal, positive, phrase).</summary>
    public static IReadOnlyList<(string Signal, bool Positive, string Phrase)> Shipped { get; } = ReadShipped();

    /// <summary>How many phrases the index holds (shipped and added).</summary>
    public int Count => _known.Count;

    /// <summary>The best cosine of each vector to a context set's "+" exemplars (<see cref="GuardianSignals.Context"/>).</summary>
    public async Task<double[]> CompareContextAsync(IReadOnlyList<float[]> vectors, string context, CancellationToken cancellationToken)
    {
        var (positive, _) = (await VectorsAsync(cancellationToken).ConfigureAwait(false))[context];
        return vectors.Select(v => Best(v, positive)).ToArray();
    }

    /// <summary>
    /// The best cosine of each vector to each message signal's "+" and "-" exemplars: [message][signal] → (positive, negative).
    /// </summary>
    public async Task<(double Positive, double Negative)[][]> CompareAsync(IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        var index = await VectorsAsync(cancellationToken).ConfigureAwait(false);
        var result = new (double, double)[vectors.Count][];
        for (var m = 0; m < vectors.Count; m++)
        {
            result[m] = new (double, double)[GuardianSignals.Message.Count];
            for (var s = 0; s < GuardianSignals.Message.Count; s++)
            {
                var (positive, negative) = index[GuardianSignals.Message[s]];
                lock (positive)
                {
                    result[m][s] = (Best(vectors[m], positive), Best(vectors[m], negative));
                }
            }
        }

        return result;
    }

    /// <summary>Adds a confirmed line to a signal's "+" exemplars; false when the signal is unknown or the line is there already.</summary>
    public async Task<bool> AddAsync(string signal, string phrase, CancellationToken cancellationToken)
    {
        if (!GuardianSignals.IsMessageSignal(signal) || string.IsNullOrWhiteSpace(phrase))
        {
            return false;
        }

        var index = await VectorsAsync(cancellationToken).ConfigureAwait(false);
        lock (_known)
        {
            if (!_known.Add(signal + "\n" + phrase))
            {
                return false;
            }
        }

        var vector = (await embeddings.GenerateAsync([phrase], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector.ToArray();
        var positive = index[signal].Positive;
        lock (positive)
        {
            positive.Add(vector);
        }

        return true;
    }

    private async Task<Dictionary<string, (List<float[]> Positive, List<float[]> Negative)>> VectorsAsync(CancellationToken cancellationToken)
    {
        if (_vectors is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_vectors is null)
            {
                var embedded = await embeddings.GenerateAsync(Shipped.Select(e => e.Phrase), cancellationToken: cancellationToken).ConfigureAwait(false);
                var vectors = GuardianSignals.Message.Concat(GuardianSignals.Context).ToDictionary(s => s, _ => (new List<float[]>(), new List<float[]>()));
                for (var i = 0; i < Shipped.Count; i++)
                {
                    var (signal, positive, phrase) = Shipped[i];
                    (positive ? vectors[signal].Item1 : vectors[signal].Item2).Add(embedded[i].Vector.ToArray());
                    lock (_known)
                    {
                        _known.Add(signal + "\n" + phrase);
                    }
                }

                _vectors = vectors;
            }

            return _vectors;
        }
        finally
        {
            _gate.Release();
        }
    }

    // The vectors are L2-normalised, so the dot product is the cosine.
    private static double Best(float[] vector, List<float[]> exemplars)
    {
        var best = 0.0;
        foreach (var exemplar in exemplars)
        {
            best = Math.Max(best, TensorPrimitives.Dot(vector, exemplar));
        }

        return best;
    }

    private static List<(string, bool, string)> ReadShipped()
    {
        using var stream = typeof(GuardianExemplarIndex).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var exemplars = new List<(string, bool, string)>();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('\t');
            if (line.StartsWith('#') || parts.Length != 3)
            {
                continue;
            }

            if (!(GuardianSignals.IsMessageSignal(parts[0]) || GuardianSignals.Context.Contains(parts[0])) || parts[1] is not ("+" or "-"))
            {
                throw new InvalidDataException($"guardian exemplars: unknown signal or sign in '{line}'");
            }

            exemplars.Add((parts[0], parts[1] == "+", parts[2]));
        }

        return exemplars;
    }
}
