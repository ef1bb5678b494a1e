namespace Chatroom.Accounts.Tests;

/// <summary>The system clock moved by <see cref="Offset"/>: lets a test see what happens after a lifetime ran out without waiting for it.</summary>
public sealed class ShiftableTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
