using Chatroom.Analysis.Agents;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Analysis.Knowledge;
using Chatroom.Analysis.Models;
using Chatroom.Analysis.Tests.Knowledge;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Core.Agents;
using Chatroom.Core.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Agents;

/// <summary>Intent routing and topic matching by meaning on the embedded MiniLM model, with no chat model at all.</summary>
public sealed class MeaningTests(LocalEmbeddingTests.Model model) : IClassFixture<LocalEmbeddingTests.Model>
{
    private static readonly AgentDefinition Librarian = new()
    {
        Name = "librarian",
        Triggers = new AgentTriggers { Intent = "questions about the library: opening hours, loans, returns" },
    };

    private static readonly AgentDefinition Travel = new()
    {
        Name = "travel",
        Description = "Books flights, hotels and trains for business trips.",
        Triggers = new AgentTriggers { Intent = "help with travel bookings: flights, hotels, trains" },
    };

    [Theory]
    [InlineData("when does the library open on sundays?", "librarian")]
    [InlineData("can I borrow a book for three weeks?", "librarian")]
    [InlineData("please book me a flight to Lisbon on Monday", "travel")]
    [InlineData("anyone watching the game tonight?", null)]
    [InlineData("hi everyone, how was your weekend?", null)]
    [InlineData("lol that meme is great", null)]
    public async Task IntentRoutingWorksWithoutAModel_WithTheModelRoutersThreshold(string text, string? expected)
    {
        var router = new IntentRouter(new AgentModelClients(null, null), Matcher(), new LlmMetrics(new TestMeterFactory()),
            Options.Create(new AgentOptions()), TimeProvider.System, NullLogger<IntentRouter>.Instance);

        var route = await router.RouteAsync(Message(text), [Librarian, Travel], CancellationToken.None);

        Assert.Equal(expected, route?.Agent.Name);
        Assert.True(route is null || route.Trigger == AgentTriggerKinds.Intent);
    }

    [Fact]
    public void ConfidenceMapsSimilarityLinearlyBetweenFloorAndCeiling()
    {
        Assert.Equal(0, IntentRouter.Confidence(0.05));
        Assert.Equal(1, IntentRouter.Confidence(0.9));
        Assert.InRange(IntentRouter.Confidence(0.325), 0.69, 0.71);
    }

    [Fact]
    public async Task ATopicMatchesByMeaningAboveTheWatchThreshold_AndUnrelatedChatDoesNot()
    {
        var threshold = new AgentOptions().WatchThreshold;
        var scores = await Matcher().ScoreAsync("who wants pepperoni tonight?", ["pizza", "kubernetes"], CancellationToken.None);
        var unrelated = await Matcher().ScoreAsync("the build is broken again", ["pizza"], CancellationToken.None);

        Assert.NotNull(scores);
        Assert.True(scores[0] >= threshold, $"pizza {scores[0]}");
        Assert.True(scores[1] < threshold, $"kubernetes {scores[1]}");
        Assert.True(unrelated![0] < threshold, $"build {unrelated[0]}");
    }

    [Fact]
    public async Task WithoutEmbeddingsMatchingReportsUnavailableInsteadOfThrowing()
    {
        using var broken = new LocalEmbeddingGenerator(NullLogger<LocalEmbeddingGenerator>.Instance, () => throw new InvalidOperationException("no onnx"));
        var matcher = new SemanticMatcher(broken, NullLogger<SemanticMatcher>.Instance);

        Assert.Null(await matcher.ScoreAsync("who wants pepperoni tonight?", ["pizza"], CancellationToken.None));
    }

    private SemanticMatcher Matcher() => new(model.Generator, NullLogger<SemanticMatcher>.Instance);

    private static ChatMessage Message(string text) =>
        new("lobby", 7, "user:ana", "ana", MessageKind.User, text, DateTimeOffset.UtcNow, null);
}
