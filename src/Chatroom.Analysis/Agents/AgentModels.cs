using Chatroom.Analysis.Models;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// The chat clients behind an agent's <c>model</c>: <c>analysis</c> = <c>ConnectionStrings:analysis-model</c>,
/// <c>reasoning</c> = <c>ConnectionStrings:reasoning-model</c> (falling back to the analysis model when only that one
/// is configured). Null when neither is: agents then answer without generation.
/// </summary>
public sealed class AgentModelClients(IChatClient? analysis, IChatClient? reasoning)
{
    public const string ReasoningConnectionName = "reasoning-model";

    public IChatClient? For(string model) => model == Core.Agents.AgentModels.Analysis ? analysis ?? reasoning : reasoning ?? analysis;

    public bool Any => analysis is not null || reasoning is not null;

    public static AgentModelClients Create(IConfiguration configuration, IHttpClientFactory http, ILoggerFactory? loggerFactory = null)
    {
        IChatClient? Build(string name) =>
            configuration.GetConnectionString(name) is { Length: > 0 } value
                ? AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse(value), http.CreateClient(name), loggerFactory)
                : null;

        return new AgentModelClients(Build(AnalysisModelConnection.ConnectionStringName), Build(ReasoningConnectionName));
    }
}
