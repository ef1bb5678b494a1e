using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Agents.Routing;

/// <summary>
/// Coalesces concurrent embedding requests into one call to the model: a request made while no call is in flight goes
/// out at once (no waiting for company), and the requests that arrive while a call is in flight go out together in the
/// next one, identical texts embedded once. The agents queue handles several entries at a time, so with a backlog their
/// messages (and the watch and intent checks of each, which embed the same text) share one call instead of one each.
/// </summary>
internal sealed class EmbeddingBatcher(IEmbeddingGenerator<string, Embedding<float>> embedder, int maxTexts)
{
    private readonly Lock _gate = new();
    private readonly List<Request> _waiting = [];
    private bool _sending;

    /// <summary>The vectors of <paramref name="texts"/>, in order.</summary>
    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var request = new Request(texts, new TaskCompletionSource<float[][]>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        bool start;
        lock (_gate)
        {
            _waiting.Add(request);
            start = !_sending;
            _sending = true;
        }

        if (start)
        {
            _ = Task.Run(SendAsync, CancellationToken.None);
        }

        return request.Vectors.Task.WaitAsync(cancellationToken);
    }

    private async Task SendAsync()
    {
        while (true)
        {
            List<Request> batch;
            lock (_gate)
            {
                _waiting.RemoveAll(r => r.Cancellation.IsCancellationRequested);
                if (_waiting.Count == 0)
                {
                    _sending = false;
                    return;
                }

                // Whole requests, at least one, up to maxTexts texts.
                var take = 1;
                var texts = _waiting[0].Texts.Count;
                while (take < _waiting.Count && texts + _waiting[take].Texts.Count <= maxTexts)
                {
                    texts += _waiting[take++].Texts.Count;
                }

                batch = _waiting.GetRange(0, take);
                _waiting.RemoveRange(0, take);
            }

            var distinct = batch.SelectMany(r => r.Texts).Distinct(StringComparer.Ordinal).ToList();
            try
            {
                // Not any one caller's token: the others still want the answer (the generator has its own timeout).
                var embeddings = await embedder.GenerateAsync(distinct, cancellationToken: CancellationToken.None);
                var index = distinct.Select((text, i) => (text, i)).ToDictionary(p => p.text, p => p.i, StringComparer.Ordinal);
                foreach (var request in batch)
                {
                    request.Vectors.TrySetResult([.. request.Texts.Select(t => embeddings[index[t]].Vector.ToArray())]);
                }
            }
            catch (Exception e)
            {
                foreach (var request in batch)
                {
                    request.Vectors.TrySetException(e);
                }
            }
        }
    }

    private sealed record Request(IReadOnlyList<string> Texts, TaskCompletionSource<float[][]> Vectors, CancellationToken Cancellation);
}
