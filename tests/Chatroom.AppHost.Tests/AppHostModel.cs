using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.AppHost.Tests;

/// <summary>The AppHost's model built with the given switches, without starting anything (no Docker needed).</summary>
internal sealed class AppHostModel : IAsyncDisposable
{
    private readonly IDistributedApplicationTestingBuilder builder;

    private AppHostModel(IDistributedApplicationTestingBuilder builder) => this.builder = builder;

    public IResourceCollection Resources => builder.Resources;

    public static async Task<AppHostModel> CreateAsync(params string[] args) =>
        new(await DistributedApplicationTestingBuilder.CreateAsync<Projects.Chatroom_AppHost>(args, CancellationToken.None));

    public T Get<T>(string name) where T : IResource =>
        Assert.IsType<T>(Resources.Single(r => r.Name == name), exactMatch: false);

    public bool Has(string name) => Resources.Any(r => r.Name == name);

    public IEnumerable<string> Names => Resources.Where(r => r.GetType().Name != "ProjectRebuilderResource").Select(r => r.Name);

    /// <summary>The environment a resource would get, as publish-time expressions (<c>{redis.connectionString}</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);
    }

    /// <summary>Names of the resources <paramref name="resource"/> waits for.</summary>
    public static IReadOnlyList<string> Waits(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToList();

    public ValueTask DisposeAsync() => builder.DisposeAsync();
}
