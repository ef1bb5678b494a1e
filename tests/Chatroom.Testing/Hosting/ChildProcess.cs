using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Chatroom.Testing.Hosting;

/// <summary>
/// A service started as a real separate process (<c>dotnet &lt;dll&gt; --urls http://127.0.0.1:port</c>) with
/// configuration in its environment. Its output is kept (the last lines) for the test log. It never outlives
/// the test: dispose kills it, so does the test process exiting, and a <c>timeout</c> wrapper bounds its life
/// even if the test process itself is killed.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 4000;
    private static readonly ConcurrentDictionary<ChildProcess, bool> Running = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ChildProcessOptions _options;
    private Process? _process;
    private int _generation;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in Running.Keys)
            {
                child.KillNow();
            }
        };
    }

    private ChildProcess(ChildProcessOptions options)
    {
        _options = options;
        Port = FreePort.Next();
    }

    public string Name => _options.Name;

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The process id, while it runs.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    /// <summary>Starts the service and waits until <see cref="ChildProcessOptions.ReadyPath"/> answers 200.</summary>
    public static async Task<ChildProcess> StartAsync(ChildProcessOptions options, CancellationToken cancellationToken = default)
    {
        var child = new ChildProcess(options);
        try
        {
            await child.RestartAsync(null, cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the (killed) service again on the same port; <paramref name="environment"/> overrides some variables.</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var generation = Interlocked.Increment(ref _generation);
        var start = StartInfo(environment);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(generation, "out", e.Data);
        process.ErrorDataReceived += (_, e) => Keep(generation, "err", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{Name} did not start.");
        }

        _process?.Dispose();
        _process = process;
        Running[this] = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilReadyAsync(process, cancellationToken);
    }

    /// <summary>SIGKILL, as a crash: no shutdown code runs, connections drop, heartbeats stop.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            KillNow();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    /// <summary>
    /// SIGTERM, as Kubernetes, Aspire and a terminal's Ctrl+C stop a process; returns how long it took to exit.
    /// Throws <see cref="OperationCanceledException"/> if it has not exited within <paramref name="patience"/>.
    /// </summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan patience)
    {
        var process = _process is { HasExited: false } running ? running : throw new InvalidOperationException($"{Name} is not running.");
        var started = Stopwatch.GetTimestamp();
        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(patience);
        await process.WaitForExitAsync(timeout.Token);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Everything the process wrote (the last lines), prefixed with its name.</summary>
    public string Output
    {
        get
        {
            var text = new StringBuilder();
            foreach (var line in _output)
            {
                text.Append('[').Append(Name).Append(']').Append(line).AppendLine();
            }

            return text.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (OperationCanceledException)
        {
            // Killed but slow to be reaped; the kernel finishes it.
        }

        Running.TryRemove(this, out _);
        _process?.Dispose();
    }

    private ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string>? overrides)
    {
        var dotnet = DotnetHost();
        var timeoutCommand = File.Exists("/usr/bin/timeout") ? "/usr/bin/timeout" : null;
        var start = new ProcessStartInfo(timeoutCommand ?? dotnet)
        {
            WorkingDirectory = Path.GetDirectoryName(_options.AssemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (timeoutCommand is not null)
        {
            start.ArgumentList.Add("--signal=KILL");
            start.ArgumentList.Add(((int)_options.MaxLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add(dotnet);
        }

        start.ArgumentList.Add(_options.AssemblyPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));

        // Nothing from the test's own environment that would change how the service runs.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
            || k.StartsWith("Chatroom__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in _options.Environment)
        {
            start.Environment[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>The <c>dotnet</c> running this test, so children use the same runtime.</summary>
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        return Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))
            ? Path.Combine(root, "dotnet")
            : "dotnet";
    }

    private void Keep(int generation, string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue($"#{generation.ToString(CultureInfo.InvariantCulture)} {stream} {line}");
        while (_output.Count > KeptLines)
        {
            _output.TryDequeue(out _);
        }
    }

    private void KillNow()
    {
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} while starting.{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync(_options.ReadyPath, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but slow to answer while starting.
            }

            if (deadline.Elapsed > _options.StartTimeout)
            {
                KillNow();
                throw new TimeoutException($"{Name} was not ready at {_options.ReadyPath} within {_options.StartTimeout}.{Environment.NewLine}{Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}

/// <summary>How to start a <see cref="ChildProcess"/>.</summary>
public sealed record ChildProcessOptions(string Name, string AssemblyPath)
{
    /// <summary>Environment variables (configuration as <c>Section__Key</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Answers 200 once the service is up.</summary>
    public string ReadyPath { get; init; } = "/health";

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Killed after this long whatever happens, so nothing outlives a crashed test run.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(10);
}
