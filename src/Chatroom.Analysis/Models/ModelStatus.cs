namespace Chatroom.Analysis.Models;

/// <summary>
/// One chat model as the admin page reports it: <see cref="Name"/> is the connection string name, <see cref="ConfigurationKey"/>
/// the environment variable that sets it, <see cref="Reachable"/> null when it is not configured, and <see cref="Hint"/> what an
/// admin should do when it is missing or does not answer (null when all is well). Chat users never see this: they get plain words.
/// </summary>
public sealed record ModelStatus(
    string Name,
    string Purpose,
    string ConfigurationKey,
    bool Configured,
    bool? Reachable,
    string? Model,
    string? Endpoint,
    string? Hint);
