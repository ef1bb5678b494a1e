using System.ComponentModel.DataAnnotations;

namespace Chatroom.Core.Chat;

/// <summary><c>Chatroom:Chat</c>: the limits of chat input.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chatroom:Chat";

    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 2000;

    [Range(1, 200)]
    public int MaxNameLength { get; set; } = 32;

    [Range(0, 500)]
    public int MaxTopicLength { get; set; } = 200;

    /// <summary>Sustained messages per second per connection.</summary>
    [Range(0.01, 10_000)]
    public double MessagesPerSecond { get; set; } = 10;

    /// <summary>Messages a connection may send at once before the sustained rate applies.</summary>
    [Range(1, 10_000)]
    public int Burst { get; set; } = 20;

    /// <summary>Sustained messages per second per user, across all of the user's connections on a node.</summary>
    [Range(0.01, 10_000)]
    public double UserMessagesPerSecond { get; set; } = 15;

    /// <summary>Messages a user may send at once across connections.</summary>
    [Range(1, 10_000)]
    public int UserBurst { get; set; } = 30;

    /// <summary>Messages <c>JoinRoom</c> returns as recent history.</summary>
    [Range(1, 500)]
    public int JoinHistory { get; set; } = 50;

    /// <summary>Most missed messages <c>JoinRoom</c> returns; beyond that the client pages over REST.</summary>
    [Range(1, 10_000)]
    public int MaxMissed { get; set; } = 1000;

    /// <summary>Largest page of the history route.</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 200;

    [Range(1, 1000)]
    public int MaxRoomsPerConnection { get; set; } = 50;

    [Range(1, 100_000)]
    public int MaxRooms { get; set; } = 10_000;

    [Range(1, 128)]
    public int MaxClientMessageIdLength { get; set; } = 64;

    /// <summary>The room every deployment has.</summary>
    public string DefaultRoom { get; set; } = "lobby";
}
