using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Chatroom.Core.Agents;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Moderation;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Chatroom.Api.Agents;

/// <summary>
/// <c>/api/agents</c>: agent definitions as data. Reading is for everyone signed in; changes are for admins, are
/// validated against docs/agent.schema.json with every error's JSON Pointer, and reach every node through the bus.
/// </summary>
public static class AgentsApi
{
    public const string ChangedEvent = "agentsChanged";

    private static readonly Lazy<string> Schema = new(() =>
    {
        using var stream = typeof(AgentsApi).Assembly.GetManifestResourceStream("Chatroom.Api.agent.schema.json")
            ?? throw new InvalidOperationException("agent.schema.json is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static RouteGroupBuilder MapAgentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/agents").WithTags("Agents").RequireAuthorization();
        group.MapGet("/", List).WithName("ListAgents").WithSummary("Every agent definition.");
        group.MapGet("/schema", () => Results.Text(Schema.Value, "application/schema+json")).WithName("GetAgentSchema")
            .WithSummary("The JSON Schema agent definitions are validated against.");
        group.MapGet("/{name}", Get).WithName("GetAgent").WithSummary("One agent definition.");
        group.MapPost("/", Create).WithName("CreateAgent").WithSummary("Creates an agent.").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapPut("/{name}", Replace).WithName("ReplaceAgent").WithSummary("Creates or replaces an agent.").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapGet("/{name}/events", Events).WithName("AgentEvents")
            .WithSummary("Server-sent events of the agent's runs as they happen: trigger, prompt size, tool calls with arguments and results, tokens, latency, errors.")
            .RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapDelete("/{name}", Delete).WithName("DeleteAgent").WithSummary("Deletes an agent.").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<AgentDefinition>>> List(IAgentStore agents, CancellationToken ct) =>
        TypedResults.Ok(await agents.ListAsync(ct));

    internal static async Task<Results<Ok<AgentDefinition>, ProblemHttpResult>> Get(string name, IAgentStore agents, CancellationToken ct) =>
        await agents.GetAsync(name, ct) is { } agent
            ? TypedResults.Ok(agent)
            : ChatProblems.Refusal(ErrorCodes.NotFound, $"there is no agent '{name}'");

    internal static async Task<Results<Created<AgentDefinition>, ProblemHttpResult>> Create(
        [FromBody] JsonElement body, HttpContext context, IAgentStore agents, IChatBus bus, ModerationActions audit, CancellationToken ct)
    {
        var (definition, problem) = Validate(body, null);
        if (problem is not null)
        {
            return problem;
        }

        if (!await agents.TryCreateAsync(definition!, ct))
        {
            return ChatProblems.Refusal(ErrorCodes.AgentExists, $"there is already an agent '{definition!.Name}'");
        }

        await ChangedAsync(definition!.Name, "create_agent", context, bus, audit, ct);
        return TypedResults.Created($"/api/agents/{definition.Name}", definition);
    }

    internal static async Task<Results<Ok<AgentDefinition>, Created<AgentDefinition>, ProblemHttpResult>> Replace(
        string name, [FromBody] JsonElement body, HttpContext context, IAgentStore agents, IChatBus bus, ModerationActions audit, CancellationToken ct)
    {
        var (definition, problem) = Validate(body, name);
        if (problem is not null)
        {
            return problem;
        }

        var created = await agents.UpsertAsync(definition!, ct);
        await ChangedAsync(name, created ? "create_agent" : "update_agent", context, bus, audit, ct);
        return created ? TypedResults.Created($"/api/agents/{name}", definition!) : TypedResults.Ok(definition!);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string name, HttpContext context, IAgentStore agents, IChatBus bus, ModerationActions audit, CancellationToken ct)
    {
        if (!await agents.DeleteAsync(name, ct))
        {
            return ChatProblems.Refusal(ErrorCodes.NotFound, $"there is no agent '{name}'");
        }

        await ChangedAsync(name, "delete_agent", context, bus, audit, ct);
        return TypedResults.NoContent();
    }

    /// <summary>The event type agent runs publish on the bus's global channel.</summary>
    public const string FeedEvent = "agentEvent";

    internal static IResult Events(string name, IChatBus bus, CancellationToken ct) =>
        TypedResults.ServerSentEvents(FeedAsync(name, bus, ct));

    private static async IAsyncEnumerable<SseItem<JsonElement>> FeedAsync(string name, IChatBus bus, [EnumeratorCancellation] CancellationToken ct)
    {
        // A slow reader loses the oldest events rather than holding the bus.
        var events = Channel.CreateBounded<JsonElement>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        await using var subscription = await bus.SubscribeAsync(null, e =>
        {
            if (e.Type == FeedEvent && e.Data.TryGetProperty("agent", out var agent) && agent.GetString() == name)
            {
                events.Writer.TryWrite(e.Data);
            }

            return ValueTask.CompletedTask;
        }, ct);

        yield return new SseItem<JsonElement>(ChatJson.ToElement(new { agent = name }), "connected");
        await foreach (var data in events.Reader.ReadAllAsync(ct))
        {
            yield return new SseItem<JsonElement>(data, data.GetProperty("kind").GetString());
        }
    }

    private static (AgentDefinition? Definition, ProblemHttpResult? Problem) Validate(JsonElement body, string? routeName)
    {
        var (definition, errors) = AgentValidator.Validate(body);
        if (definition is not null && routeName is not null && definition.Name != routeName)
        {
            errors = [new AgentValidationError("/name", $"must match the route ('{routeName}')")];
            definition = null;
        }

        if (definition is not null)
        {
            return (definition, null);
        }

        var details = ChatProblems.Create(ErrorCodes.InvalidAgent, $"the definition has {errors.Count} problem(s): " +
            string.Join("; ", errors.Select(e => $"{(e.Path.Length == 0 ? "/" : e.Path)} {e.Message}")));
        details.Extensions["errors"] = errors;
        return (null, TypedResults.Problem(details));
    }

    private static async Task ChangedAsync(string name, string action, HttpContext context, IChatBus bus, ModerationActions audit, CancellationToken ct)
    {
        await bus.PublishAsync(new ChatEvent(ChangedEvent, null, ChatJson.ToElement(new { name })), ct);
        await audit.AuditAsync(Admin.AuditActor.Of(context.User), action, null, null, null, $"agent '{name}'", null, ct);
    }
}
