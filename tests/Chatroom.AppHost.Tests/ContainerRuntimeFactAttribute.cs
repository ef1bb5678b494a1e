using System.Diagnostics;

namespace Chatroom.AppHost.Tests;

/// <summary>
/// A test that starts containers: skipped, with the reason, when neither Docker nor Podman answers
/// (DCP would otherwise fail the start after its 30 s runtime check).
/// </summary>
public sealed class ContainerRuntimeFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(FindUnavailableReason);

    public ContainerRuntimeFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? FindUnavailableReason()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return $"No container runtime: '{runtime}' could not be started.";
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                process.Kill(entireProcessTree: true);
                return $"No container runtime: '{runtime} info' did not answer within 15 s.";
            }

            return process.ExitCode == 0 ? null : $"No container runtime: '{runtime} info' exited with {process.ExitCode} (is the daemon running?).";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"No container runtime: '{runtime}' is not installed.";
        }
    }
}
