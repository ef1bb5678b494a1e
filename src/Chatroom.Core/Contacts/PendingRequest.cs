namespace Chatroom.Core.Contacts;

/// <summary>A send into a direct conversation whose recipient has not accepted: <see cref="First"/> starts the request.</summary>
public sealed record PendingRequest(string Room, string RecipientId, bool First);
