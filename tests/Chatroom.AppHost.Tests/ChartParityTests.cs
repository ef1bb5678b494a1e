using k8s.Models;

// The probe annotations are marked for evaluation in Aspire 13.6; they are what the AppHost declares its probes with.
#pragma warning disable ASPIREPROBES001

namespace Chatroom.AppHost.Tests;

/// <summary>
/// The AppHost and the Helm chart describe the same system: each ci/ value set of the chart is rendered with
/// <c>helm template</c> and compared with the AppHost's model under the switches that run the same backends (the
/// environment as the manifest publisher writes it, publish-mode expressions): the services, the connection strings
/// and <c>Chatroom__</c> keys each one gets, its probes and its port. What differs on purpose is listed once, below.
/// </summary>
public sealed class ChartParityTests
{
    /// <summary>Differences kept on purpose: (service or "*", key or key prefix ending in "__", the side that has it, why).</summary>
    private static readonly (string Service, string Key, string Side, string Reason)[] Intentional =
    [
        ("*", "Chatroom__Auth__PreviousSigningKeys__0", Chart,
            "the chart's Secret may hold the key before a rotation (optional); the AppHost's generated key persists in user secrets and never rotates"),
        ("*", "Chatroom__DataDirectory", Chart,
            "pods have a read-only root filesystem, so the embedded files go to the /data emptyDir; AppHost processes write where they run"),
        ("*", "Chatroom__Sockets__MaxConnectionsPerAddress", Chart,
            "behind an Ingress without trusted proxy networks every connection has the controller's address; locally there is no proxy"),
        ("*", "Chatroom__ForwardedHeaders__KnownNetworks__", Chart,
            "the Ingress controller's networks, only known in the cluster"),
        ("socketserver", "Chatroom__Sockets__NodeId", Chart,
            "the pod name, stable in logs and presence; under DCP each replica's default (machine name and a random suffix) is already unique"),
        ("web", "Chatroom__Web__Gateway__Enabled", AppHost,
            "locally the web app is the one origin and proxies /api, /mcp and /hubs; in the cluster the Ingress or HTTPRoute routes those paths to the services"),
        ("analysis", "ConnectionStrings__analysis_model", AppHost,
            "Aspire 13.6 writes each model reference a second time with '_' for '-'; the services read the '-' name, which the chart sets"),
        ("analysis", "ConnectionStrings__reasoning_model", AppHost,
            "the same second, '_' spelling of the reasoning model's reference"),
        ("analysis", "ConnectionStrings__safety_model", AppHost,
            "the same second, '_' spelling of the safety model's reference"),
        ("analysis", "ConnectionStrings__embedding-model", Chart,
            "the AppHost leaves embeddings on the in-process MiniLM model (a laptop pulls two models, not three); the chart passes models.embedding when set"),
    ];

    private const string AccountsMigration = "accounts-migration";
    private const string Chart = "chart";
    private const string AppHost = "apphost";
    private const string AnalysisModelExternal = "ConnectionStrings:analysis-model=Endpoint=https://api.openai.com/v1;Model=gpt-4o-mini";
    private const string ReasoningModelExternal = "ConnectionStrings:reasoning-model=Endpoint=https://api.openai.com/v1;Model=gpt-4o";

    private static readonly string[] Services = ["api", "socketserver", "analysis", "web"];

    /// <summary>Each chart value set (null = defaults) with the AppHost switches that run the same backends.</summary>
    public static TheoryData<string?, string[]> SameSystems => new()
    {
        // Bundled Redis and Ollama, no Milvus, accounts on SQLite.
        { null, ["Milvus:Mode=none", "Postgres:Mode=none"] },
        // The same with a PostgreSQL for accounts in the release (development) and in a container.
        { "dev", ["Milvus:Mode=none"] },
        // External Redis cluster, Ollama on GPUs, an existing Milvus and an existing PostgreSQL.
        { "prod", ["Redis:Mode=existing", "ConnectionStrings:redis=redis:6379", "Milvus:Mode=existing", "ConnectionStrings:milvus=Endpoint=http://milvus:19530;Key=root:x",
            "Postgres:Mode=existing", "ConnectionStrings:accounts=Host=postgres;Database=accounts"] },
        // Models from an OpenAI-compatible endpoint, no Ollama in the cluster.
        { "external-models", ["Milvus:Mode=none", "Postgres:Mode=none", "Ollama:Mode=external", AnalysisModelExternal, ReasoningModelExternal] },
    };

    [Theory]
    [MemberData(nameof(SameSystems))]
    public async Task BothRunTheSameServices(string? valueSet, string[] switches)
    {
        var chart = await HelmChart.RenderAsync(valueSet);
        await using var model = await AppHostModel.CreateAsync(switches);

        Assert.Equal(Services.Order(), model.Resources.OfType<ProjectResource>().Select(p => p.Name).Where(n => n != AccountsMigration).Order());
        Assert.Equal(Services.Order(), chart.ServiceDeployments.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(SameSystems))]
    public async Task BothMigrateAccountsOnceWithTheApiAndTheSameSettingsOrNeither(string? valueSet, string[] switches)
    {
        var chart = await HelmChart.RenderAsync(valueSet);
        await using var model = await AppHostModel.CreateAsync(switches);

        var job = chart.AccountsMigrationJob;
        Assert.Equal(model.Has(AccountsMigration), job is not null);
        if (job is null)
        {
            return;
        }

        // The same program (the API's image or project) with the same switch.
        var container = job.Spec.Template.Spec.Containers.Single();
        var migration = model.Get<ProjectResource>(AccountsMigration);
        Assert.Equal(chart.ServiceDeployments["api"].Spec.Template.Spec.Containers[0].Image, container.Image);
        Assert.Equal(model.Get<ProjectResource>("api").GetProjectMetadata().ProjectPath, migration.GetProjectMetadata().ProjectPath);
        var args = new List<object>();
        foreach (var callback in migration.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(args, migration, CancellationToken.None));
        }

        Assert.Equal(container.Args, args.Select(a => a.ToString() ?? ""));

        var fromAppHost = Compared((await AppHostModel.EnvironmentAsync(migration)).Keys);
        var fromChart = Compared(chart.EnvironmentNames(job.Spec.Template.Spec.Containers[0]));
        var drift = fromChart.Except(fromAppHost).Where(key => !IsIntentional(AccountsMigration, key, Chart)).Select(key => $"{key} only in the chart's Job")
            .Concat(fromAppHost.Except(fromChart).Where(key => !IsIntentional(AccountsMigration, key, AppHost)).Select(key => $"{key} only in the AppHost"))
            .ToList();
        Assert.True(drift.Count == 0, "The accounts migrations drifted apart:\n" + string.Join('\n', drift));
        Assert.Contains("ConnectionStrings__accounts", fromChart);
    }

    [Theory]
    [MemberData(nameof(SameSystems))]
    public async Task EachServiceGetsTheSameConnectionStringsAndChatroomSettings(string? valueSet, string[] switches)
    {
        var chart = await HelmChart.RenderAsync(valueSet);
        await using var model = await AppHostModel.CreateAsync(switches);

        var drift = new List<string>();
        foreach (var service in Services)
        {
            var fromAppHost = Compared((await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>(service))).Keys);
            var fromChart = Compared(chart.EnvironmentNames(chart.ServiceDeployments[service]));
            drift.AddRange(fromChart.Except(fromAppHost).Where(key => !IsIntentional(service, key, Chart))
                .Select(key => $"{service}: {key} only in the chart ({valueSet ?? "defaults"})"));
            drift.AddRange(fromAppHost.Except(fromChart).Where(key => !IsIntentional(service, key, AppHost))
                .Select(key => $"{service}: {key} only in the AppHost ({string.Join(' ', switches)})"));
        }

        Assert.True(drift.Count == 0, "The AppHost and the chart drifted apart:\n" + string.Join('\n', drift));
    }

    [Fact]
    public async Task EachServiceHasTheSameProbesAndOneHttpPort()
    {
        var chart = await HelmChart.RenderAsync(null);
        await using var model = await AppHostModel.CreateAsync();

        foreach (var service in Services)
        {
            var project = model.Get<ProjectResource>(service);
            var container = chart.ServiceDeployments[service].Spec.Template.Spec.Containers[0];

            Assert.Equal(
                project.Annotations.OfType<EndpointProbeAnnotation>().ToDictionary(p => p.Type, p => (p.Path, p.EndpointReference.EndpointName)),
                new Dictionary<ProbeType, (string, string)>
                {
                    [ProbeType.Liveness] = HttpGet(container.LivenessProbe),
                    [ProbeType.Readiness] = HttpGet(container.ReadinessProbe),
                });
            // The chart's startup probe is its liveness probe with more patience (a slow first start is not killed);
            // Aspire keys a probe's health check by path, so the AppHost cannot declare /alive twice.
            Assert.Equal(HttpGet(container.LivenessProbe), HttpGet(container.StartupProbe));

            // One plain-HTTP endpoint named http on both sides; Kestrel's port comes from HTTP_PORTS either way.
            var endpoint = Assert.Single(project.Annotations.OfType<EndpointAnnotation>());
            Assert.Equal(("http", "http"), (endpoint.Name, endpoint.UriScheme));
            var port = Assert.Single(container.Ports);
            Assert.Equal(("http", "TCP"), (port.Name, port.Protocol));
            Assert.Equal(port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                chart.OfKind<V1ConfigMap>("ConfigMap").Single(c => c.Metadata.Name.EndsWith("-config", StringComparison.Ordinal)).Data["ASPNETCORE_HTTP_PORTS"]);
        }
    }

    [Fact]
    public async Task TheBundledBackendsRunTheAppHostsImages()
    {
        var chart = await HelmChart.RenderAsync("dev");
        await using var model = await AppHostModel.CreateAsync();

        var images = chart.OfKind<V1StatefulSet>("StatefulSet").ToDictionary(
            s => s.Spec.Template.Metadata.Labels["app.kubernetes.io/component"], s => s.Spec.Template.Spec.Containers[0].Image);
        var ollama = model.Get<ContainerResource>("ollama").Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal($"{ollama.Registry}/{ollama.Image}:{ollama.Tag}", images["ollama"]);

        // The same Redis image; the tag is Aspire.Hosting.Redis's (it moves with Aspire) against the chart's pinned,
        // tested one, so only the repository is compared.
        var redis = model.Get<RedisResource>("redis").Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.StartsWith($"{redis.Registry}/{redis.Image}:", images["redis"], StringComparison.Ordinal);

        // PostgreSQL for accounts: the same image and tag (a data directory belongs to one major version).
        var postgres = model.Get<PostgresServerResource>("postgres").Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal($"{postgres.Registry}/{postgres.Image}:{postgres.Tag}", images["postgresql"]);
    }

    private static (string Path, string Port) HttpGet(V1Probe probe) => (probe.HttpGet.Path, probe.HttpGet.Port.Value);

    private static HashSet<string> Compared(IEnumerable<string> keys) =>
        keys.Where(k => k.StartsWith("Chatroom__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToHashSet();

    private static bool IsIntentional(string service, string key, string side) =>
        Intentional.Any(d => d.Side == side && (d.Service == "*" || d.Service == service)
            && (d.Key == key || (d.Key.EndsWith("__", StringComparison.Ordinal) && key.StartsWith(d.Key, StringComparison.Ordinal))));
}
