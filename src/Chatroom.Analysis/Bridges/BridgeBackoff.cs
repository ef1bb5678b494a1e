namespace Chatroom.Analysis.Bridges;

/// <summary>
/// The wait before reconnecting: doubling from the first wait up to the cap, each wait drawn from its upper half
/// ("equal jitter"), so nodes and bridges that lost their peer together do not come back in step.
/// </summary>
public static class BridgeBackoff
{
    /// <param name="failures">Failed connections in a row, 1 for the first.</param>
    public static TimeSpan Delay(int failures, TimeSpan initial, TimeSpan max, Random random)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var ceiling = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, doublings));
        return TimeSpan.FromTicks((long)(ceiling / 2 + random.NextDouble() * ceiling / 2));
    }
}
