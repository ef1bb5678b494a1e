using System.Diagnostics;
using System.Globalization;

namespace Chatroom.LoadTest;

/// <summary>
/// What the load tool reads about the server processes on this machine, summed over their pids. CPU per delivery moves far
/// less with a noisy neighbour than the latency tail does, so it is the figure to compare builds by (docs/benchmarks.md).
/// </summary>
public static class ServerProcesses
{
    /// <summary>The summed resident set size in bytes (Linux <c>/proc/&lt;pid&gt;/status</c>, <c>VmRSS</c>).</summary>
    public static long? ResidentBytes(IReadOnlyList<int> pids) => Sum(pids, pid =>
    {
        // "VmRSS:	  123456 kB"
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    });

    /// <summary>The summed CPU time, user and system.</summary>
    public static TimeSpan? CpuTime(IReadOnlyList<int> pids) => Sum(pids, pid =>
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime.Ticks;
    }) is { } ticks ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>Null when there are no pids or one of them cannot be read (it exited, or this is not Linux).</summary>
    private static long? Sum(IReadOnlyList<int> pids, Func<int, long?> read)
    {
        if (pids.Count == 0)
        {
            return null;
        }

        long total = 0;
        foreach (var pid in pids)
        {
            try
            {
                if (read(pid) is not { } value)
                {
                    return null;
                }

                total += value;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                return null;
            }
        }

        return total;
    }
}
