using Chatroom.Core.Bus;

namespace Chatroom.Core.Messages;

/// <summary>What a new message is announced with: its bus event, the queues its work item goes to, the trace to carry.</summary>
public sealed record MessageAnnouncement(Func<ChatMessage, ChatEvent> Event, IReadOnlyList<string> Queues, string? TraceParent);
