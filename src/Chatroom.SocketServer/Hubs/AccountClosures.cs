using System.Collections.Concurrent;
using System.Text.Json;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatroom.SocketServer.Hubs;

/// <summary>
/// Closes this node's connections of an account that was banned, disabled or signed out everywhere on any node (the
/// <see cref="ChatEventTypes.AccountClosed"/> event on the bus's global channel), with a close message saying why and
/// not to reconnect. It also remembers the security stamp those tokens carried: a socket server without the accounts
/// store could not tell otherwise that a still-unexpired token was revoked, so a reconnect with it is refused.
/// </summary>
public sealed partial class AccountClosures(IChatBus bus, ConnectionRegistry connections, TimeProvider time, ILogger<AccountClosures> logger)
    : IHostedService
{
    /// <summary>Longer than an account's access token lives (10 min by default); a revoked stamp is forgotten after it.</summary>
    internal static readonly TimeSpan RememberFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<(string UserId, string Stamp), (AccountClosed Closed, DateTimeOffset At)> _revoked = new();
    private IAsyncDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _subscription = await bus.SubscribeAsync(null, OnEventAsync, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            await subscription.DisposeAsync();
        }
    }

    /// <summary>Why a token with <paramref name="stamp"/> of <paramref name="userId"/> may not connect, or null when it may.</summary>
    public AccountClosed? RefusalFor(string userId, string? stamp) =>
        stamp is not null && _revoked.TryGetValue((userId, stamp), out var entry) && time.GetUtcNow() - entry.At < RememberFor ? entry.Closed : null;

    /// <summary>The close reason a client is shown: <c>code: sentence</c>, as every hub refusal.</summary>
    public static string CloseReason(AccountClosed closed) => $"{closed.Code}: {closed.Reason}";

    private async ValueTask OnEventAsync(ChatEvent chatEvent)
    {
        if (chatEvent.Type != ChatEventTypes.AccountClosed
            || chatEvent.Data.Deserialize<AccountClosed>(ChatJson.Options) is not { UserId.Length: > 0 } closed)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (closed.RevokedStamp is { } stamp)
        {
            _revoked[(closed.UserId, stamp)] = (closed, now);
        }

        foreach (var old in _revoked.Where(e => now - e.Value.At >= RememberFor).Select(e => e.Key).ToList())
        {
            _revoked.TryRemove(old, out _);
        }

        var open = connections.OfUser(closed.UserId);
        foreach (var connection in open)
        {
            if (connection.Caller is { } caller)
            {
                await caller.CloseWithoutReconnectAsync(CloseReason(closed));
            }
        }

        if (open.Count > 0)
        {
            LogClosed(logger, open.Count, closed.UserId, closed.Code);
        }
    }

    [LoggerMessage(EventId = 3120, Level = LogLevel.Information, Message = "Closed {Count} connections of account {UserId}: {Code}")]
    private static partial void LogClosed(ILogger logger, int count, string userId, string code);
}
