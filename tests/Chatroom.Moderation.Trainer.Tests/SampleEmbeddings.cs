using Chatroom.Testing.Hosting;

namespace Chatroom.Moderation.Trainer.Tests;

/// <summary>
/// MiniLM vectors for the tests' small samples, shared by a test class and cached in a temporary folder (removed
/// afterwards): the sample's texts are embedded once, then every run reads them from the cache.
/// </summary>
public sealed class SampleEmbeddings : IDisposable
{
    private readonly Chatroom.Testing.Hosting.TempDirectory _cache = new();

    public SampleEmbeddings() => Vectors = new SentenceEmbeddings(_cache.Path);

    public SentenceEmbeddings Vectors { get; }

    public void Dispose()
    {
        Vectors.Dispose();
        _cache.Dispose();
    }
}
