using System.Diagnostics;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Chatroom.AppHost.Tests;

/// <summary>
/// charts/chatroom rendered with the real helm binary (<c>helm template</c>), parsed with the Kubernetes client's
/// YAML models (KubernetesClient comes with Aspire.Hosting).
/// </summary>
internal sealed partial class HelmChart
{
    public const string Release = "prod";
    public const string Namespace = "chat";

    private readonly IReadOnlyList<string> documents;

    private HelmChart(IReadOnlyList<string> documents) => this.documents = documents;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ChartDirectory => Path.Combine(RepositoryRoot, "charts", "chatroom");

    /// <summary>
    /// Renders the chart with a value set from ci/ (null = the chart's defaults). Operator-supplied settings
    /// (<c>config</c> and each service's <c>env</c>) are cleared so only what the chart itself wires is compared.
    /// </summary>
    public static async Task<HelmChart> RenderAsync(string? valueSet)
    {
        var args = new List<string> { "template", Release, ChartDirectory, "--namespace", Namespace };
        if (valueSet is not null)
        {
            args.AddRange(["--values", Path.Combine(ChartDirectory, "ci", valueSet + "-values.yaml")]);
        }

        foreach (var cleared in new[] { "config", "api.env", "socketserver.env", "analysis.env", "web.env" })
        {
            args.AddRange(["--set", cleared + "=null"]);
        }

        var output = await RunHelmAsync(args);
        return new HelmChart(DocumentSeparator().Split(output).Where(d => KindLine().IsMatch(d)).ToList());
    }

    public IEnumerable<T> OfKind<T>(string kind) =>
        documents.Where(d => KindLine().Match(d).Groups[1].Value == kind).Select(d => KubernetesYaml.Deserialize<T>(d));

    /// <summary>The Deployment of a service by its component label (api, socketserver, analysis, web).</summary>
    public IReadOnlyDictionary<string, V1Deployment> ServiceDeployments =>
        OfKind<V1Deployment>("Deployment").ToDictionary(d => d.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);

    /// <summary>The Job that applies the accounts migrations (postgresql.mode existing or development); null with none.</summary>
    public V1Job? AccountsMigrationJob =>
        OfKind<V1Job>("Job").SingleOrDefault(j => j.Spec.Template.Metadata.Labels["app.kubernetes.io/component"] == "accounts-migration");

    /// <summary>Every environment variable name a Deployment's first container gets: its env and its ConfigMaps' keys.</summary>
    public IReadOnlySet<string> EnvironmentNames(V1Deployment deployment) => EnvironmentNames(deployment.Spec.Template.Spec.Containers[0]);

    /// <summary>Every environment variable name a container gets: its env and its ConfigMaps' keys.</summary>
    public IReadOnlySet<string> EnvironmentNames(V1Container container)
    {
        var configMaps = OfKind<V1ConfigMap>("ConfigMap").ToDictionary(c => c.Metadata.Name);
        var fromConfigMaps = (container.EnvFrom ?? [])
            .Where(e => e.ConfigMapRef is not null)
            .SelectMany(e => configMaps[e.ConfigMapRef.Name].Data?.Keys ?? []);
        return (container.Env ?? []).Select(e => e.Name).Concat(fromConfigMaps).ToHashSet();
    }

    private static async Task<string> RunHelmAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(FindHelm())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"helm {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await stderr}");
    }

    /// <summary>Where ./test.sh puts helm (HELM overrides, then PATH, then ~/.cache/chatroom-tools/helm).</summary>
    private static string FindHelm()
    {
        if (Environment.GetEnvironmentVariable("HELM") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"HELM={configured}: no such file.");
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "helm"))
            .FirstOrDefault(File.Exists);
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var tools = Path.Combine(cache, "chatroom-tools", "helm", "helm");
        return onPath ?? (File.Exists(tools) ? tools : throw new InvalidOperationException(
            $"helm was not found (HELM, PATH or {tools}). ./test.sh installs it before the .NET tests; " +
            "or set HELM=/path/to/helm (docs/operations.md, the chart section)."));
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "charts", "chatroom", "Chart.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No charts/chatroom/Chart.yaml above {AppContext.BaseDirectory}.");
    }

    // helm writes "---" alone on a line between objects; block scalars inside objects are indented, so never match.
    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^kind: (\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLine();
}
