using System.Text.RegularExpressions;
using Chatroom.Core.Rooms;

namespace Chatroom.Analysis.Bridges;

/// <summary>
/// One bridge, <c>Chatroom:Bridges:&lt;name&gt;</c>: the peer's WebSocket URL, the header that authenticates us to it,
/// which local room is which remote channel, and the limits on what the peer sends.
/// </summary>
public sealed partial class BridgeOptions
{
    public const int MaxRooms = 100;
    public const int MaxChannelLength = 128;

    /// <summary>Off: the bridge is kept in configuration but no node connects it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The peer's <c>ws://</c> or <c>wss://</c> URL.</summary>
    public string? Url { get; set; }

    /// <summary>A header sent when connecting (e.g. <c>Authorization</c>); its value belongs in a secret, never in a file.</summary>
    public BridgeAuthHeader? AuthHeader { get; set; }

    /// <summary>Local room → remote channel. Each room and each channel appears once.</summary>
    public Dictionary<string, string> RoomMap { get; set; } = [];

    /// <summary>Frames from the peer larger than this are dropped (and counted) without being read into memory.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>Frames from the peer beyond this rate (with a burst of one second's worth) are dropped and counted.</summary>
    public double MaxMessagesPerSecond { get; set; } = 20;

    /// <summary>The first wait after a failed connection; each further failure doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening the connection may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle connection sends <c>{"type":"ping"}</c>; a peer silent for two of these is reconnected.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node's hold on the bridge lasts unless renewed (a third of it between renewals): how soon another node takes over after the holder dies.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>What is wrong with this bridge's settings (empty when nothing is).</summary>
    public IEnumerable<string> Problems(string name)
    {
        var prefix = $"{BridgesOptions.Section}:{name}";
        if (!NamePattern().IsMatch(name))
        {
            yield return $"{prefix}: a bridge's name is 1-32 ASCII letters, digits, '-' or '_'.";
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            yield return $"{prefix}:Url must be an absolute ws:// or wss:// URL without user info.";
        }

        if (AuthHeader is { } header && (string.IsNullOrWhiteSpace(header.Name) || string.IsNullOrEmpty(header.Value)))
        {
            yield return $"{prefix}:AuthHeader needs a Name and a Value.";
        }

        if (RoomMap.Count is 0 or > MaxRooms)
        {
            yield return $"{prefix}:RoomMap maps 1-{MaxRooms} rooms to channels.";
        }

        foreach (var (room, channel) in RoomMap)
        {
            if (!RoomNames.IsValid(room))
            {
                yield return $"{prefix}:RoomMap: '{room}' is not a valid room name.";
            }

            if (string.IsNullOrWhiteSpace(channel) || channel.Length > MaxChannelLength)
            {
                yield return $"{prefix}:RoomMap:{room}: a channel is 1-{MaxChannelLength} characters.";
            }
        }

        if (RoomMap.Values.Distinct(StringComparer.Ordinal).Count() != RoomMap.Count)
        {
            yield return $"{prefix}:RoomMap: each channel maps to one room.";
        }

        if (MaxMessageBytes is < 256 or > 1024 * 1024)
        {
            yield return $"{prefix}:MaxMessageBytes is 256-1048576.";
        }

        if (MaxMessagesPerSecond is < 0.1 or > 10_000)
        {
            yield return $"{prefix}:MaxMessagesPerSecond is 0.1-10000.";
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff || ConnectTimeout <= TimeSpan.Zero || PingInterval <= TimeSpan.Zero)
        {
            yield return $"{prefix}: InitialBackoff, ConnectTimeout and PingInterval must be positive, and MaxBackoff at least InitialBackoff.";
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1))
        {
            yield return $"{prefix}:LeaseDuration is at least 1 s.";
        }
    }

    /// <summary>The URL as the admin page shows it: scheme, host, port and path, never a query (it may carry a token).</summary>
    public string DisplayUrl => Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : string.Empty;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex NamePattern();
}

/// <summary>A header the bridge sends when it connects: its name, and its value (from a secret).</summary>
public sealed class BridgeAuthHeader
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}
