using System.Text.Json;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IAgentStore"/> must do. Each test gets a fresh, empty store.</summary>
public abstract class AgentStoreContract : IAsyncLifetime
{
    protected IAgentStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A store that shares no data with any other test's.</summary>
    protected abstract Task<IAgentStore> CreateStoreAsync();

    private static AgentDefinition Agent(string name, string persona = "You help.") => new()
    {
        Name = name,
        Description = "A helper called " + name,
        Persona = persona,
        Model = AgentModels.Analysis,
        Triggers = new AgentTriggers { Mention = true, Keywords = ["help", "aide"], Direct = true, Intent = "questions about rooms" },
        Rooms = ["lobby", "général"],
        Tools = [AgentTools.ListRooms, AgentTools.SearchKnowledge],
        Limits = new AgentLimits { MaxTokens = 256, MaxTurns = 2, RepliesPerMinute = 4 },
        Temperature = 0.25,
        Enabled = false,
    };

    /// <summary>Definitions hold lists (compared by reference in records), so compare their JSON.</summary>
    private static string Json(AgentDefinition? definition) => JsonSerializer.Serialize(definition, ChatJson.Options);

    [Fact]
    public async Task ACreatedAgentReadsBackWithEveryField()
    {
        var agent = Agent("helper");
        Assert.True(await Store.TryCreateAsync(agent, CancellationToken.None));
        Assert.Equal(Json(agent), Json(await Store.GetAsync("helper", CancellationToken.None)));
        Assert.Null(await Store.GetAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task CreatingTwiceKeepsTheFirst()
    {
        Assert.True(await Store.TryCreateAsync(Agent("dup", "first"), CancellationToken.None));
        Assert.False(await Store.TryCreateAsync(Agent("dup", "second"), CancellationToken.None));
        Assert.Equal("first", (await Store.GetAsync("dup", CancellationToken.None))!.Persona);
    }

    [Fact]
    public async Task UpsertCreatesThenReplaces()
    {
        Assert.True(await Store.UpsertAsync(Agent("up", "one"), CancellationToken.None));
        Assert.False(await Store.UpsertAsync(Agent("up", "two"), CancellationToken.None));
        Assert.Equal(Json(Agent("up", "two")), Json(await Store.GetAsync("up", CancellationToken.None)));
    }

    [Fact]
    public async Task ListsEveryAgentByName()
    {
        Assert.Empty(await Store.ListAsync(CancellationToken.None));
        foreach (var name in new[] { "zeta", "alpha", "Mid", "beta" })
        {
            await Store.TryCreateAsync(Agent(name), CancellationToken.None);
        }

        Assert.Equal(["Mid", "alpha", "beta", "zeta"], (await Store.ListAsync(CancellationToken.None)).Select(a => a.Name));
    }

    [Fact]
    public async Task DeleteRemovesOnlyThatAgent()
    {
        await Store.TryCreateAsync(Agent("keep"), CancellationToken.None);
        await Store.TryCreateAsync(Agent("drop"), CancellationToken.None);
        Assert.True(await Store.DeleteAsync("drop", CancellationToken.None));
        Assert.False(await Store.DeleteAsync("drop", CancellationToken.None));
        Assert.Null(await Store.GetAsync("drop", CancellationToken.None));
        Assert.Equal(["keep"], (await Store.ListAsync(CancellationToken.None)).Select(a => a.Name));
        Assert.True(await Store.TryCreateAsync(Agent("drop"), CancellationToken.None));
    }
}
