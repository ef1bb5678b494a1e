namespace Chatroom.LoadTest;

/// <summary>
/// One workload: <see cref="Connections"/> hub connections spread round-robin over <see cref="Rooms"/> rooms and over
/// <see cref="Urls"/>; each room receives <see cref="RatePerRoom"/> messages per second of <see cref="MessageBytes"/>
/// bytes from its members in turn, until <see cref="Duration"/> has passed or <see cref="Count"/> messages were sent.
/// </summary>
public sealed record LoadSettings(
    IReadOnlyList<Uri> Urls,
    int Connections,
    int Rooms,
    double RatePerRoom,
    int MessageBytes,
    TimeSpan Duration,
    long? Count,
    TimeSpan Drain,
    int ConnectParallelism,
    int MaxInFlightPerConnection,
    IReadOnlyList<int> ServerPids,
    string Label);
