using System.Reflection;
using Chatroom.Core.Agents;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Agents.Tools;

/// <summary>
/// The one door to the tools, for a model's calls and for commands run without a model alike: finds the
/// <see cref="AgentToolAttribute"/> methods of <see cref="AgentToolbox"/> and makes each an <see cref="AIFunction"/> with
/// <see cref="AIFunctionFactory"/>; offers an agent only the tools its definition lists; checks every call's arguments
/// against the tool's schema before the method runs (<see cref="ToolArguments"/>); and writes each model call with its
/// result to the agent's feed. A new tool is one method in <see cref="AgentToolbox"/>; nothing here changes.
/// </summary>
public sealed class ToolGate
{
    private readonly IReadOnlyDictionary<string, AIFunction> _tools;
    private readonly AgentFeed _feed;

    public ToolGate(AgentToolbox toolbox, AgentFeed feed)
    {
        _tools = Discover(toolbox);
        _feed = feed;
    }

    /// <summary>The tools as declared to models, by name.</summary>
    public IReadOnlyDictionary<string, AIFunction> Tools => _tools;

    /// <summary>The agent's tools for Microsoft.Extensions.AI's function invocation; each call goes through <see cref="InvokeAsync"/>.</summary>
    public IList<AITool> Functions(AgentDefinition agent, ToolContext context) =>
        agent.Tools.Where(_tools.ContainsKey).Select(name => (AITool)new GatedFunction(this, _tools[name], agent, context)).ToList();

    /// <summary>Runs a tool the agent is allowed, with checked arguments; refusals come back as text starting with "error:".</summary>
    public async Task<string> InvokeAsync(AgentDefinition agent, string tool, IDictionary<string, object?>? arguments, ToolContext context, CancellationToken cancellationToken)
    {
        string result;
        if (!agent.Tools.Contains(tool) || !_tools.TryGetValue(tool, out var function))
        {
            result = $"error: the tool '{tool}' is not available to {agent.Name}";
        }
        else if (!ToolArguments.TryCheck(function, arguments, out var checkedArguments, out var refusal))
        {
            result = refusal;
        }
        else
        {
            // The room, agent and asker are bound here, never taken from the model.
            checkedArguments.Context = new Dictionary<object, object?> { [typeof(ToolContext)] = context };
            result = (string?)await function.InvokeAsync(checkedArguments, cancellationToken) ?? string.Empty;
        }

        if (context.RunId is { } runId)
        {
            await _feed.PublishAsync(agent.Name, runId, "tool", context.Room,
                new { name = tool, arguments = arguments ?? new Dictionary<string, object?>(), result }, cancellationToken);
        }

        return result;
    }

    private static Dictionary<string, AIFunction> Discover(AgentToolbox toolbox) =>
        typeof(AgentToolbox).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(method => (Method: method, Tool: method.GetCustomAttribute<AgentToolAttribute>()))
            .Where(x => x.Tool is not null)
            .ToDictionary(x => x.Tool!.Name, x => AIFunctionFactory.Create(x.Method, toolbox, Options(x.Tool!.Name)), StringComparer.Ordinal);

    private static AIFunctionFactoryOptions Options(string name) => new()
    {
        Name = name,
        ConfigureParameterBinding = parameter => parameter.ParameterType == typeof(ToolContext)
            ? new AIFunctionFactoryOptions.ParameterBindingOptions
            {
                ExcludeFromSchema = true,
                BindParameter = (_, arguments) => arguments.Context?[typeof(ToolContext)],
            }
            : default,
        // A tool's result is the text itself, handed to the model as it is rather than as a JSON string.
        MarshalResult = (result, _, _) => new ValueTask<object?>(result),
        ExcludeResultSchema = true,
    };

    /// <summary>One allowed tool as the model sees it, for one run.</summary>
    private sealed class GatedFunction(ToolGate gate, AIFunction tool, AgentDefinition agent, ToolContext context) : DelegatingAIFunction(tool)
    {
        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
            await gate.InvokeAsync(agent, Name, new Dictionary<string, object?>(arguments, StringComparer.Ordinal), context, cancellationToken);
    }
}
