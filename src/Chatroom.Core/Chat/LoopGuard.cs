using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Microsoft.Extensions.Options;

namespace Chatroom.Core.Chat;

/// <summary>
/// The hop limit on chains of automated answers. A post's hop is the hop of the event it answers plus one (0 when it
/// answers nothing); <see cref="ChatService"/> refuses one beyond <see cref="IntegrationOptions.MaxHops"/>, and callers
/// that would spend work first (an agent's model call) ask <see cref="Admits"/> before they start.
/// </summary>
public sealed class LoopGuard(IOptions<IntegrationOptions> options, ChatMetrics metrics)
{
    /// <summary>The largest hop a caller may echo back: anything above is refused as invalid rather than trusted.</summary>
    public const int MaxEchoedHop = 1000;

    public int MaxHops => options.Value.MaxHops;

    /// <summary>The hop of a post answering an event of hop <paramref name="answered"/>; 0 when it answers none.</summary>
    public static int Next(int? answered) => answered switch
    {
        null => 0,
        < 0 or > MaxEchoedHop => throw new ChatException(ErrorCodes.InvalidRequest, $"the hop answered must be 0-{MaxEchoedHop}"),
        { } hop => hop + 1,
    };

    /// <summary>Whether a post by <paramref name="kind"/> at <paramref name="hop"/> may be stored; a drop is counted.</summary>
    public bool Admits(MessageKind kind, int hop)
    {
        if (hop <= MaxHops)
        {
            return true;
        }

        metrics.LoopDropped(kind.ToString().ToLowerInvariant());
        return false;
    }

    /// <summary>Refuses (and counts) a post beyond the hop limit with <c>loop_detected</c>.</summary>
    public void EnsureAdmitted(MessageKind kind, int hop)
    {
        if (!Admits(kind, hop))
        {
            throw new ChatException(ErrorCodes.LoopDetected,
                $"this answers a chain of {hop - 1} automated answers; at most {MaxHops} may follow a person's message, so it was dropped");
        }
    }
}
