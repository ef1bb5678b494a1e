using Chatroom.Core.Rooms;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chatroom.Backends;

/// <summary>
/// Ready when the room store answers a read: a member lookup, which no cache serves (the Redis backend keeps rooms in a
/// node cache, so reading the room could answer from memory right after Redis went away).
/// </summary>
internal sealed class BackendHealthCheck(IRoomStore rooms) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await rooms.GetMemberAsync("lobby", "health-check", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the storage backend does not answer", e);
        }
    }
}
