using Chatroom.Core.Rooms;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chatroom.Backends;

/// <summary>Ready when the room store answers a read.</summary>
internal sealed class BackendHealthCheck(IRoomStore rooms) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await rooms.GetAsync("lobby", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the storage backend does not answer", e);
        }
    }
}
