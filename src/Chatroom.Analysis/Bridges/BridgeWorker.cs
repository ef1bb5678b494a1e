using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Bridges;

/// <summary>Runs a <see cref="BridgeRunner"/> for every enabled bridge in <c>Chatroom:Bridges</c>.</summary>
public sealed class BridgeWorker(IOptions<BridgesOptions> options, Func<string, BridgeOptions, BridgeRunner> runner) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Value.Bridges.Where(b => b.Value.Enabled).Select(b => runner(b.Key, b.Value).RunAsync(stoppingToken)));
}
