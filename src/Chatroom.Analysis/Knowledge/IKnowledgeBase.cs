namespace Chatroom.Analysis.Knowledge;

/// <summary>A stored document: its id, title and how many chunks it was cut into.</summary>
public sealed record KnowledgeDocument(string Id, string Title, int Chunks, DateTimeOffset AddedAt);

/// <summary>A passage that matched a search, best first.</summary>
public sealed record KnowledgeHit(string DocumentId, string Title, string Text, double Score);

/// <summary>Documents cut into chunks, embedded, and searched by meaning.</summary>
public interface IKnowledgeBase
{
    Task<KnowledgeDocument> AddAsync(string title, string text, CancellationToken cancellationToken);

    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int k, CancellationToken cancellationToken);
}
