using Chatroom.Analysis.Models;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// The chat clients behind an agent's <c>model</c>: <c>analysis</c> = the keyed client <see cref="ModelKeys.Analysis"/>,
/// <c>reasoning</c> = <see cref="ModelKeys.Reasoning"/> (each falling back to the other when only one is configured).
/// Null when neither is: agents then answer without generation.
/// </summary>
public sealed class AgentModelClients(
    [FromKeyedServices(ModelKeys.Analysis)] IChatClient? analysis = null,
    [FromKeyedServices(ModelKeys.Reasoning)] IChatClient? reasoning = null)
{
    public IChatClient? For(string model) => model == Core.Agents.AgentModels.Analysis ? analysis ?? reasoning : reasoning ?? analysis;

    public bool Any => analysis is not null || reasoning is not null;
}
