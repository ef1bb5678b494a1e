namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// The vectors of the last texts a generator embedded, so a message embedded once (for a topic watch, an intent, or the
/// moderation second stage) is not embedded again by the next reader. Bounded: the oldest text is forgotten first.
/// </summary>
public sealed class RecentEmbeddings(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _vectors.Count;
            }
        }
    }

    public bool TryGet(string text, out float[] vector)
    {
        lock (_gate)
        {
            return _vectors.TryGetValue(text, out vector!);
        }
    }

    public void Add(string text, float[] vector)
    {
        lock (_gate)
        {
            if (!_vectors.TryAdd(text, vector))
            {
                return;
            }

            _order.Enqueue(text);
            while (_order.Count > capacity)
            {
                _vectors.Remove(_order.Dequeue());
            }
        }
    }
}
