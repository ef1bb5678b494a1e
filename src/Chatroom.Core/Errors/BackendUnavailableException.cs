namespace Chatroom.Core.Errors;

/// <summary>A storage or bus backend could not be reached; nothing was stored.</summary>
public sealed class BackendUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
