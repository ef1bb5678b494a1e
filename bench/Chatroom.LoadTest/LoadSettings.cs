namespace Chatroom.LoadTest;

/// <summary>
/// One workload: <see cref="Connections"/> hub connections spread round-robin over <see cref="Rooms"/> rooms, and each room's members over
/// <see cref="Urls"/>; each room receives <see cref="RatePerRoom"/> messages per second of <see cref="MessageBytes"/>
/// bytes from its members in turn, until <see cref="Duration"/> has passed or <see cref="Count"/> messages were sent.
/// Sign-ins and room creation go to <see cref="ApiUrl"/> when set (an API process apart from the socket servers), else
/// to the connection's own URL.
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
    string Label,
    Uri? ApiUrl = null);
