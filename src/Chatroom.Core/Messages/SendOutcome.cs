namespace Chatroom.Core.Messages;

/// <summary>
/// What <see cref="IMessageSendPath.AppendAndAnnounceAsync"/> did besides the append: whether the bus event went out and
/// whether the work items were queued, in the same step. What it did not do is the caller's to do.
/// </summary>
public sealed record SendOutcome(AppendResult Result, bool Published, bool Queued);
