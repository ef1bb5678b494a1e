using System.Globalization;

namespace Chatroom.LoadTest;

/// <summary>Resident set size of server processes on this machine (Linux <c>/proc/&lt;pid&gt;/status</c>, <c>VmRSS</c>).</summary>
public static class ServerMemory
{
    /// <summary>The summed RSS of <paramref name="pids"/> in bytes; null when there are none or one cannot be read.</summary>
    public static async Task<long?> ResidentBytesAsync(IReadOnlyList<int> pids, CancellationToken cancellationToken)
    {
        if (pids.Count == 0)
        {
            return null;
        }

        long total = 0;
        foreach (var pid in pids)
        {
            string[] lines;
            try
            {
                lines = await File.ReadAllLinesAsync($"/proc/{pid}/status", cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }

            var line = lines.FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is null)
            {
                return null;
            }

            // "VmRSS:	  123456 kB"
            total += long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }

        return total;
    }
}
