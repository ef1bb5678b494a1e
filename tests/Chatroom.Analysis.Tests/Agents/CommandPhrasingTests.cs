using Chatroom.Analysis.Agents.Tools;
using Chatroom.Core.Agents;

namespace Chatroom.Analysis.Tests.Agents;

/// <summary>Commands without a model: the ways people ask, parsed to the same tool calls a model would make.</summary>
public sealed class CommandPhrasingTests
{
    [Theory]
    [InlineData("create a room called book-club", AgentTools.CreateRoom, "name", "book-club", null)]
    [InlineData("make a room named book-club", AgentTools.CreateRoom, "name", "book-club", null)]
    [InlineData("open #book-club", AgentTools.CreateRoom, "name", "book-club", null)]
    [InlineData("new room 'book-club' about novels", AgentTools.CreateRoom, "name", "book-club", "novels")]
    [InlineData("create room book-club about novels", AgentTools.CreateRoom, "name", "book-club", "novels")]
    [InlineData("please create a new room called \"book-club\" for the reading group", AgentTools.CreateRoom, "name", "book-club", "the reading group")]
    [InlineData("could you set up a channel called hiking", AgentTools.CreateRoom, "name", "hiking", null)]
    [InlineData("can you make a room called Book-Club?", AgentTools.CreateRoom, "name", "Book-Club", null)]
    [InlineData("create a room called book club", AgentTools.CreateRoom, "name", "book club", null)]
    [InlineData("make a room named #no_underscores", AgentTools.CreateRoom, "name", "no_underscores", null)]
    [InlineData("watch pizza", AgentTools.WatchTopic, "topic", "pizza", null)]
    [InlineData("watch pizza in other rooms", AgentTools.WatchTopic, "topic", "pizza", null)]
    [InlineData("please watch for 'board games' elsewhere", AgentTools.WatchTopic, "topic", "board games", null)]
    [InlineData("keep an eye on pizza", AgentTools.WatchTopic, "topic", "pizza", null)]
    [InlineData("tell me when anyone talks about pizza", AgentTools.WatchTopic, "topic", "pizza", null)]
    [InlineData("let me know if pizza comes up in other rooms", AgentTools.WatchTopic, "topic", "pizza", null)]
    [InlineData("notify me about the release date", AgentTools.WatchTopic, "topic", "the release date", null)]
    [InlineData("list rooms", AgentTools.ListRooms, null, null, null)]
    [InlineData("summarize #food", AgentTools.SummarizeRoom, "room", "food", null)]
    [InlineData("search the knowledge base for parking", AgentTools.SearchKnowledge, "query", "parking", null)]
    public void PhrasingsBecomeToolCalls(string text, string tool, string? argument, string? value, string? topic)
    {
        var command = NoModelResponder.Command(text);

        Assert.NotNull(command);
        Assert.Equal(tool, command.Value.Tool);
        if (argument is not null)
        {
            Assert.Equal(value, command.Value.Arguments[argument]);
        }

        if (tool == AgentTools.CreateRoom)
        {
            Assert.Equal(topic, command.Value.Arguments["topic"]);
        }
    }

    [Theory]
    [InlineData("open the door please")]
    [InlineData("what's the capital of France?")]
    [InlineData("create a room")]
    [InlineData("I watched a film yesterday and it was great")]
    public void OrdinaryTextIsNotACommand(string text)
    {
        var command = NoModelResponder.Command(text);

        Assert.True(command is null || command.Value.Tool != AgentTools.CreateRoom, $"{text} -> {command?.Tool} {string.Join(",", command?.Arguments.Values.AsEnumerable() ?? [])}");
    }
}
