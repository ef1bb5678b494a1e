namespace Chatroom.Analysis.Webhooks;

/// <summary>A delivery the sender will not make (an address the SSRF guard refuses); it counts as a failed try.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
