using System.Diagnostics.CodeAnalysis;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// A generator that keeps the vectors it computed lately: a reader that only wants a vector when it comes without an
/// inference (the moderation second stage over its CPU budget) asks here first.
/// </summary>
public interface IRecentEmbeddings
{
    /// <summary>The vector of <paramref name="text"/> if it was embedded lately; never computes one.</summary>
    bool TryGetRecent(string text, [NotNullWhen(true)] out float[]? vector);
}
