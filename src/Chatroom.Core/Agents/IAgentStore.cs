namespace Chatroom.Core.Agents;

/// <summary>Port: agent definitions.</summary>
public interface IAgentStore
{
    Task<IReadOnlyList<AgentDefinition>> ListAsync(CancellationToken cancellationToken);

    Task<AgentDefinition?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates or replaces; true when it was created.</summary>
    Task<bool> UpsertAsync(AgentDefinition definition, CancellationToken cancellationToken);

    /// <summary>Creates only; false when an agent of that name exists.</summary>
    Task<bool> TryCreateAsync(AgentDefinition definition, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
