using System.Diagnostics;

namespace Chatroom.LoadTest;

/// <summary>
/// CPU time (user + system) of server processes on this machine. A fixed workload's CPU per delivery moves far less
/// with a noisy neighbour than its latency tail does, so it is the figure to compare builds by (docs/benchmarks.md).
/// </summary>
public static class ServerCpu
{
    /// <summary>The summed CPU time of <paramref name="pids"/>; null when there are none or one has exited.</summary>
    public static TimeSpan? Total(IReadOnlyList<int> pids)
    {
        if (pids.Count == 0)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return null;
            }
        }

        return total;
    }
}
