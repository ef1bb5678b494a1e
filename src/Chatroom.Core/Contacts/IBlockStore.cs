namespace Chatroom.Core.Contacts;

/// <summary>Port: who blocked whom. A block is one person's choice about another; it says nothing to the one blocked.</summary>
public interface IBlockStore
{
    /// <summary>Records that <paramref name="userId"/> blocks <paramref name="blockedUserId"/>; false when already blocked.</summary>
    Task<bool> BlockAsync(string userId, string blockedUserId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Lifts the block; false when there was none.</summary>
    Task<bool> UnblockAsync(string userId, string blockedUserId, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="userId"/> blocks <paramref name="blockedUserId"/>.</summary>
    Task<bool> IsBlockedAsync(string userId, string blockedUserId, CancellationToken cancellationToken);

    /// <summary>The user ids <paramref name="userId"/> blocks, ordered.</summary>
    Task<IReadOnlyList<string>> ListAsync(string userId, CancellationToken cancellationToken);
}
