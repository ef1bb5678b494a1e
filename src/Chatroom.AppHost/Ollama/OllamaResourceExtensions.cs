using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Chatroom.AppHost.Ollama;

/// <summary>
/// Ollama as a container and its models as connection strings (<c>Endpoint=http://host:port;Model=name</c>,
/// the shape the services read), modelled by hand because the toolkit's Ollama package is not available here.
/// </summary>
public static class OllamaResourceExtensions
{
    public const string Image = "ollama/ollama";
    public const string Tag = "0.32.15";
    public const string ModelsVolume = "chatroom-ollama-models";

    /// <summary>The container, with a models volume; <paramref name="gpu"/> passes every NVIDIA GPU through (Docker or Podman flags).</summary>
    public static IResourceBuilder<ContainerResource> AddOllamaContainer(this IDistributedApplicationBuilder builder, string name, bool gpu, bool podman)
    {
        var ollama = builder.AddContainer(name, Image, Tag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: 11434, name: "http")
            .WithVolume(ModelsVolume, "/root/.ollama")
            .WithHttpHealthCheck("/");
        if (gpu)
        {
            ollama.WithContainerRuntimeArgs(podman ? ["--device", "nvidia.com/gpu=all"] : ["--gpus", "all"]);
        }

        return ollama;
    }

    /// <summary>
    /// A model on <paramref name="ollama"/>: pulled once the container is healthy, with the download's progress as the
    /// resource's state on the dashboard, and healthy only when Ollama has it — so <c>WaitFor(model)</c> waits for the pull.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddOllamaModel(this IResourceBuilder<ContainerResource> ollama, string name, string model)
    {
        var builder = ollama.ApplicationBuilder;
        var endpoint = ollama.GetEndpoint("http");
        var checkName = $"{name}-pulled";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(checkName, _ => new OllamaModelHealthCheck(endpoint, model), null, null));

        var connection = builder.AddConnectionString(name, ReferenceExpression.Create($"Endpoint={endpoint};Model={model}"))
            .WithHealthCheck(checkName);

        builder.Eventing.Subscribe<ResourceReadyEvent>(ollama.Resource, (e, cancellationToken) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(connection.Resource);
            // The pull takes minutes for a large model; it must not hold up the other resources' start-up.
            _ = Task.Run(() => OllamaModelPuller.PullAsync(new Uri(endpoint.Url), model, connection.Resource, notifications, logger, cancellationToken), CancellationToken.None);
            return Task.CompletedTask;
        });

        return connection;
    }
}
