using System.Text.Json;
using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Bridges;

/// <summary>
/// What one bridge does with a frame from its peer: drops floods, garbage and unmapped channels (each counted and
/// logged), answers pings, and posts messages into the mapped room as bridge users through the send admission, so the
/// room's rules, the text limits, rate limits, moderation and analysis apply as to anyone's post.
/// </summary>
public sealed partial class BridgeInbound
{
    /// <summary>More remote senders than this in memory and their budgets start afresh (the flood limit still holds the bridge).</summary>
    private const int MaxBudgets = 10_000;

    private const int MaxSenderIdLength = 64;
    private const int MaxSenderNameLength = 64;

    private readonly string _name;
    private readonly BridgeOptions _bridge;
    private readonly Dictionary<string, string> _roomsByChannel;
    private readonly BotGrant _grant;
    private readonly TokenBucket _flood;
    private readonly SendAdmission _admission;
    private readonly ChatOptions _chat;
    private readonly BridgeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (TokenBucket Rate, UserBudget User)> _budgets = new(StringComparer.Ordinal);
    private long _floods;

    public BridgeInbound(string name, BridgeOptions bridge, SendAdmission admission, IOptions<ChatOptions> chat, BridgeMetrics metrics, TimeProvider time, ILogger logger)
    {
        _name = name;
        _bridge = bridge;
        _roomsByChannel = bridge.RoomMap.ToDictionary(m => m.Value, m => m.Key, StringComparer.Ordinal);
        _grant = new BotGrant(new HashSet<string>([BotGrant.Post], StringComparer.Ordinal), bridge.RoomMap.Keys.ToHashSet(StringComparer.Ordinal));
        _flood = new TokenBucket(bridge.MaxMessagesPerSecond, Math.Max(1, (int)Math.Ceiling(bridge.MaxMessagesPerSecond)), time);
        _admission = admission;
        _chat = chat.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Messages posted from the peer since this node took the bridge.</summary>
    public long Posted { get; private set; }

    /// <summary>Frames dropped since this node took the bridge.</summary>
    public long Dropped { get; private set; }

    /// <summary>The user id a peer's sender posts under: namespaced by the bridge, so the loop guard knows its own.</summary>
    public static string UserIdPrefix(string bridge) => $"bridge:{bridge}:";

    /// <summary>A frame larger than <see cref="BridgeOptions.MaxMessageBytes"/> (read and discarded by the caller).</summary>
    public void TooLarge(long bytes)
    {
        if (Admit())
        {
            Drop(BridgeDropReasons.TooLarge);
            LogTooLarge(_logger, _name, bytes, _bridge.MaxMessageBytes);
        }
    }

    /// <summary>A binary frame: the wire format is JSON text.</summary>
    public void Binary()
    {
        if (Admit())
        {
            Drop(BridgeDropReasons.Invalid);
            LogInvalid(_logger, _name, "a binary frame");
        }
    }

    /// <summary>Handles one text frame; returns the frame to answer with (a pong), if any.</summary>
    public async Task<BridgeFrame?> HandleAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        if (!Admit())
        {
            return null;
        }

        BridgeFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize<BridgeFrame>(utf8.Span, BridgeFrame.Json);
        }
        catch (JsonException e)
        {
            Drop(BridgeDropReasons.Invalid);
            LogInvalid(_logger, _name, $"not a JSON frame ({e.Message})");
            return null;
        }

        switch (frame?.Type)
        {
            case BridgeFrame.Ping:
                return new BridgeFrame(BridgeFrame.Pong);
            case BridgeFrame.Pong or BridgeFrame.Hello:
                return null;
            case BridgeFrame.Message:
                await PostAsync(frame, cancellationToken);
                return null;
            default:
                Drop(BridgeDropReasons.Invalid);
                LogInvalid(_logger, _name, $"unknown type '{Truncate(frame?.Type)}'");
                return null;
        }
    }

    private async Task PostAsync(BridgeFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Channel is null || !_roomsByChannel.TryGetValue(frame.Channel, out var room))
        {
            Drop(BridgeDropReasons.Unmapped);
            LogUnmapped(_logger, _name, Truncate(frame.Channel));
            return;
        }

        var senderId = frame.Sender?.Id;
        var senderName = frame.Sender?.Name?.Trim();
        if (!IsPrintableAscii(senderId, MaxSenderIdLength) || string.IsNullOrEmpty(senderName) || senderName.Length > MaxSenderNameLength
            || (frame.Id is not null && !IsPrintableAscii(frame.Id, _chat.MaxClientMessageIdLength)))
        {
            Drop(BridgeDropReasons.Invalid);
            LogInvalid(_logger, _name, $"a message needs sender.id (1-{MaxSenderIdLength} printable ASCII), sender.name (1-{MaxSenderNameLength} characters) and an optional id (1-{_chat.MaxClientMessageIdLength} printable ASCII)");
            return;
        }

        var identity = new ChatIdentity(UserIdPrefix(_name) + senderId, senderName, ChatRoles.Bridge, DateTimeOffset.MaxValue, _grant);
        try
        {
            // The peer's id is the client message id: a frame the peer sends again after a reconnect is stored once.
            var result = await _admission.SendAsync(SenderFor(identity), room, frame.Text ?? string.Empty, frame.Id, cancellationToken);
            if (!result.Duplicate)
            {
                Posted++;
                _metrics.Carried(_name, "in");
            }
        }
        catch (ChatException e)
        {
            Drop(BridgeDropReasons.Refused);
            LogRefused(_logger, _name, room, e.Code, e.Message);
        }
        catch (BackendUnavailableException e)
        {
            Drop(BridgeDropReasons.Refused);
            LogNotStored(_logger, e, _name, room);
        }
    }

    private ProgramSender SenderFor(ChatIdentity identity)
    {
        if (!_budgets.TryGetValue(identity.UserId, out var budget))
        {
            if (_budgets.Count >= MaxBudgets)
            {
                _budgets.Clear();
            }

            budget = (new TokenBucket(_chat.MessagesPerSecond, _chat.Burst, _time), new UserBudget(new TokenBucket(_chat.UserMessagesPerSecond, _chat.UserBurst, _time)));
            _budgets[identity.UserId] = budget;
        }

        return new ProgramSender(identity, budget.Rate, budget.User);
    }

    /// <summary>Every frame draws on the flood budget first, garbage included: a peer cannot make us parse faster than the limit.</summary>
    private bool Admit()
    {
        if (_flood.TryTake(out _))
        {
            return true;
        }

        Drop(BridgeDropReasons.Flood);
        if (++_floods % 100 == 1)
        {
            // One line per hundred dropped: a flood must not become a flood of log lines.
            LogFlood(_logger, _name, _bridge.MaxMessagesPerSecond, _floods);
        }

        return false;
    }

    private void Drop(string reason)
    {
        Dropped++;
        _metrics.Dropped(_name, reason);
    }

    private static bool IsPrintableAscii(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength && value.All(c => c is >= '!' and <= '~');

    private static string Truncate(string? value) => value is null ? "(none)" : value.Length <= 64 ? value : value[..64] + "…";

    [LoggerMessage(EventId = 4750, Level = LogLevel.Warning, Message = "Bridge {Bridge}: the peer sends faster than {Limit}/s; frames beyond it are dropped ({Dropped} flood frames dropped so far)")]
    private static partial void LogFlood(ILogger logger, string bridge, double limit, long dropped);

    [LoggerMessage(EventId = 4751, Level = LogLevel.Warning, Message = "Bridge {Bridge}: dropped a frame of {Bytes} bytes from the peer (limit {Limit})")]
    private static partial void LogTooLarge(ILogger logger, string bridge, long bytes, int limit);

    [LoggerMessage(EventId = 4752, Level = LogLevel.Warning, Message = "Bridge {Bridge}: dropped a frame from the peer: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string bridge, string problem);

    [LoggerMessage(EventId = 4753, Level = LogLevel.Warning, Message = "Bridge {Bridge}: dropped a message for channel {Channel}, which no room is mapped to")]
    private static partial void LogUnmapped(ILogger logger, string bridge, string channel);

    [LoggerMessage(EventId = 4754, Level = LogLevel.Information, Message = "Bridge {Bridge}: a message for {Room} was refused ({Code}: {Reason})")]
    private static partial void LogRefused(ILogger logger, string bridge, string room, string code, string reason);

    [LoggerMessage(EventId = 4755, Level = LogLevel.Warning, Message = "Bridge {Bridge}: a message for {Room} could not be stored; it is dropped")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string bridge, string room);
}
