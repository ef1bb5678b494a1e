using System.Buffers;
using System.Reflection;
using Chatroom.Core.Errors;
using Chatroom.SocketServer.Hubs;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Chatroom.SocketServer.Guards;

/// <summary>
/// SignalR's JSON protocol with stable refusals for what SignalR's dispatcher would otherwise answer by itself:
/// an invocation whose arguments do not bind (wrong types or count) or whose method does not exist becomes an
/// invocation of <see cref="ChatHub.RefuseInvalidRequest"/> with the same invocation id, so it is refused with
/// <c>invalid_request: …</c> through <see cref="ChatHubFilter"/> (counted, rate limited) instead of
/// "Failed to invoke … due to an error on the server"; a frame that cannot be parsed, or one over the size limit,
/// throws a <see cref="HubException"/>, which SignalR turns into a close message carrying <c>code: sentence</c>
/// that does not invite the client to reconnect.
/// </summary>
internal sealed class GuardedHubProtocol(IHubProtocol inner, IOptions<SocketOptions> options) : IHubProtocol
{
    private const byte RecordSeparator = 0x1e;

    /// <summary>Codes a connection is closed with for what its client sent (see <see cref="ChatHubFilter"/> for the flood close).</summary>
    private static readonly string[] ClosesForGood = [ErrorCodes.InvalidFrame, ErrorCodes.PayloadTooLarge, ErrorCodes.RateLimited];

    private static readonly IReadOnlyDictionary<string, string> Signatures = typeof(ChatHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => !m.IsSpecialName && m.Name != nameof(ChatHub.RefuseInvalidRequest) && m.DeclaringType == typeof(ChatHub)
                    && m.Name is not (nameof(Hub.OnConnectedAsync) or nameof(Hub.OnDisconnectedAsync)))
        .ToDictionary(m => m.Name, m => $"{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.Name))})", StringComparer.OrdinalIgnoreCase);

    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message)
    {
        var whole = input.PositionOf(RecordSeparator) is not null;
        bool parsed;
        try
        {
            parsed = inner.TryParseMessage(ref input, binder, out message);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or FormatException
                                       or ArgumentException or OverflowException)
        {
            // Malformed JSON, invalid UTF-8, nesting deeper than the reader allows, a message type that does not exist.
            throw new HubException($"{ErrorCodes.InvalidFrame}: the frame is not valid SignalR JSON, the connection is closed", e);
        }

        if (!parsed || message is null)
        {
            if (whole)
            {
                // A complete frame the JSON protocol skipped: a message type it does not know. Left alone, SignalR
                // would keep the bytes and wait for more.
                throw new HubException($"{ErrorCodes.InvalidFrame}: the frame is not a SignalR message this server knows, the connection is closed");
            }

            // SignalR hands the parser at most the size limit; a window that full with no record separator in it can
            // only be the start of a frame over the limit (SignalR would close with a bare "error" a moment later).
            var limit = options.Value.MaxReceiveMessageBytes;
            if (input.Length >= limit && input.PositionOf(RecordSeparator) is null)
            {
                throw new HubException($"{ErrorCodes.PayloadTooLarge}: frames are limited to {limit} bytes, the connection is closed");
            }

            return false;
        }

        if (message is InvocationBindingFailureMessage failure)
        {
            message = new InvocationMessage(failure.InvocationId, ChatHub.InvalidRequestMethod, [Describe(failure)]);
        }
        else if (message is StreamBindingFailureMessage)
        {
            throw new HubException($"{ErrorCodes.InvalidFrame}: this hub takes no streams, the connection is closed");
        }

        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(ForGood(message), output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(ForGood(message));

    /// <summary>
    /// SignalR closes a connection whose frame it could not read with <c>allowReconnect: true</c>, which makes a client
    /// with automatic reconnect come back and send the same thing again; a close for a violation says "do not".
    /// </summary>
    private static HubMessage ForGood(HubMessage message) =>
        message is CloseMessage { AllowReconnect: true, Error: { } error } && ClosesForGood.Any(code => error.Contains($"HubException: {code}: ", StringComparison.Ordinal))
            ? new CloseMessage(error, allowReconnect: false)
            : message;

    private static string Describe(InvocationBindingFailureMessage failure) =>
        Signatures.TryGetValue(failure.Target, out var signature)
            ? $"'{failure.Target}' takes {signature}; the arguments sent do not match those names' types or count"
            : $"there is no hub method '{Shorten(failure.Target)}'; the methods are {string.Join(", ", Signatures.Values)}";

    private static string Shorten(string target) => target.Length <= 64 ? target : target[..64] + "…";
}
