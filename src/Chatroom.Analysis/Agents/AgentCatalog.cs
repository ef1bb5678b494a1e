using System.Collections.Immutable;
using Chatroom.Core.Agents;
using Chatroom.Core.Bus;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// The current agent definitions of this node. Seeds the built-ins on first start, reloads when the API announces a
/// change on the bus (so edits take effect on every node without a restart), and refreshes periodically as a backstop.
/// </summary>
public sealed partial class AgentCatalog(IAgentStore store, IChatBus bus, TimeProvider time, ILogger<AgentCatalog> logger) : BackgroundService
{
    public const string ChangedEvent = "agentsChanged";
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private ImmutableArray<AgentDefinition> _agents = [];

    public IReadOnlyList<AgentDefinition> Agents => _agents;

    public AgentDefinition? Find(string name) => _agents.FirstOrDefault(a => a.Name == name);

    public async Task ReloadAsync(CancellationToken cancellationToken) =>
        _agents = [.. await store.ListAsync(cancellationToken)];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var agent in BuiltInAgents.All)
        {
            await store.TryCreateAsync(agent, cancellationToken);
        }

        await ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var subscription = await bus.SubscribeAsync(null, async e =>
        {
            if (e.Type == ChangedEvent)
            {
                await ReloadAsync(stoppingToken);
            }
        }, stoppingToken);

        using var timer = new PeriodicTimer(Refresh, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReloadFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Reloading agent definitions failed; keeping the previous ones")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
