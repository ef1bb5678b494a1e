namespace Chatroom.AppHost.Topology;

/// <summary>Where a backend comes from when the AppHost runs.</summary>
public enum BackendMode
{
    /// <summary>A container the AppHost starts (needs Docker or Podman).</summary>
    Container,

    /// <summary>A server that already runs elsewhere, named by a connection string in the AppHost's configuration.</summary>
    Existing,

    /// <summary>Not used: the services fall back to their embedded backends.</summary>
    None,
}
