using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Chatroom.ServiceDefaults.Telemetry;

/// <summary>
/// Builds the tracer provider before any other singleton, so that the container, which disposes singletons in the
/// reverse order of their creation, disposes it last. OpenTelemetry's own hosted service builds it only in its
/// StartAsync, after every hosted service (and the singletons they take, such as the socket server's room relay) was
/// made; the provider was then disposed first, and a Redis command issued while the rest shut down (the relay's
/// UNSUBSCRIBE) failed with ObjectDisposedException inside the vendored Redis instrumentation.
/// </summary>
internal sealed class TracerProviderFirst : IHostedService
{
    public TracerProviderFirst(TracerProvider provider) => _ = provider;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
