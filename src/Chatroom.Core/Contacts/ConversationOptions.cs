using System.ComponentModel.DataAnnotations;

namespace Chatroom.Core.Contacts;

/// <summary><c>Chatroom:Conversations</c>: the limits of private conversations, message requests and reports.</summary>
public sealed class ConversationOptions
{
    public const string Section = "Chatroom:Conversations";

    /// <summary>After a declined request, how long the sender cannot ask the same person again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan DeclinedCooldown { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Messages a sender may leave while their request waits (the first becomes the request's preview).</summary>
    [Range(1, 50)]
    public int MaxPendingMessages { get; set; } = 3;

    /// <summary>New conversations (direct requests and invitations) one person may start per hour, against request floods.</summary>
    [Range(1, 10_000)]
    public int NewConversationsPerHour { get; set; } = 20;

    /// <summary>Reports one person may file per hour.</summary>
    [Range(1, 10_000)]
    public int ReportsPerHour { get; set; } = 10;

    [Range(1, 2000)]
    public int MaxReportReasonLength { get; set; } = 500;

    /// <summary>Characters of the first message shown in a request.</summary>
    [Range(1, 500)]
    public int PreviewLength { get; set; } = 100;

    /// <summary>Most members a private room holds (direct rooms hold two).</summary>
    [Range(2, 10_000)]
    public int MaxPrivateRoomMembers { get; set; } = 100;
}
