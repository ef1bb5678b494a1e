using Chatroom.Api.Mcp;
using Chatroom.Core.Messages;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ChatMessage = Chatroom.Core.Messages.ChatMessage;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// <see cref="McpMeaningSearch"/> with embedding generators that hang, fail or count: what the MCP <c>search</c> tool
/// relies on to fall back to the word search and to embed a message only once.
/// </summary>
public sealed class McpMeaningSearchFallbackTests
{
    private static readonly ChatMessage[] Candidates =
    [
        new("support", 2, "u_1", "ana", MessageKind.User, "the computer does not boot after the update", DateTimeOffset.UnixEpoch.AddMinutes(2), null),
        new("support", 1, "u_2", "bo", MessageKind.User, "lunch at noon?", DateTimeOffset.UnixEpoch.AddMinutes(1), null),
    ];

    [Fact]
    public async Task AGeneratorThatNeverAnswersGivesWayToTheWordSearchAtTheTimeout()
    {
        var search = Search(new FakeGenerator(hang: true));

        Assert.Null(await search.RankAsync("laptop won't start", ["laptop"], Candidates, 10, CancellationToken.None));
    }

    [Fact]
    public async Task AFailingGeneratorGivesWayToTheWordSearch()
    {
        var search = Search(new FakeGenerator(fail: true));

        Assert.Null(await search.RankAsync("laptop won't start", ["laptop"], Candidates, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ASecondSearchEmbedsOnlyItsQuery_AndAnEditedMessageAgain()
    {
        var generator = new FakeGenerator();
        var search = Search(generator);

        var first = await search.RankAsync("boot", ["boot"], Candidates, 10, CancellationToken.None);
        var second = await search.RankAsync("boot", ["boot"], Candidates, 10, CancellationToken.None);
        var edited = await search.RankAsync("boot", ["boot"], [Candidates[0] with { Text = "fixed: it boots again" }, Candidates[1]], 10, CancellationToken.None);

        Assert.Equal([3, 1, 2], generator.Batches);
        Assert.Equal("the computer does not boot after the update", Assert.Single(first!).Message.Text);
        Assert.Equal(first, second);
        Assert.Equal("fixed: it boots again", Assert.Single(edited!).Message.Text);
    }

    [Fact]
    public void WithoutAGeneratorOrWithMeaningSwitchedOffThereIsNoMeaningSearch()
    {
        Assert.False(Search(null).IsAvailable);
        Assert.False(Search(new FakeGenerator(), byMeaning: false).IsAvailable);
        Assert.True(Search(new FakeGenerator()).IsAvailable);
    }

    private static McpMeaningSearch Search(FakeGenerator? generator, bool byMeaning = true)
    {
        var services = new ServiceCollection();
        if (generator is not null)
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator);
        }

        var options = Options.Create(new McpSearchOptions { ByMeaning = byMeaning, Timeout = TimeSpan.FromMilliseconds(200) });
        return new McpMeaningSearch(services.BuildServiceProvider(), options, NullLogger<McpMeaningSearch>.Instance);
    }

    /// <summary>
    /// Embeds a text as one axis when it mentions booting and another otherwise, so "boot" queries match boot messages
    /// only; records how many texts each call embedded.
    /// </summary>
    private sealed class FakeGenerator(bool hang = false, bool fail = false) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<int> Batches { get; } = [];

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (fail)
            {
                throw new InvalidOperationException("the model did not load");
            }

            var texts = values.ToList();
            Batches.Add(texts.Count);
            return [.. texts.Select(t => new Embedding<float>(t.Contains("boot", StringComparison.Ordinal) ? new float[] { 1, 0 } : [0, 1]))];
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
