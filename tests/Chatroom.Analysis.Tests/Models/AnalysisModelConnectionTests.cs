using Chatroom.Analysis.Models;

namespace Chatroom.Analysis.Tests.Models;

public sealed class AnalysisModelConnectionTests
{
    [Fact]
    public void ParsesTheAspireOllamaForm()
    {
        var connection = AnalysisModelConnection.Parse("Endpoint=http://ollama:11434;Model=qwen2.5:0.5b");
        Assert.Equal(new Uri("http://ollama:11434/"), connection.Endpoint);
        Assert.Equal("qwen2.5:0.5b", connection.Model);
        Assert.False(connection.IsOpenAi);
        Assert.Null(connection.Key);
    }

    [Fact]
    public void ParsesTheOpenAiForm()
    {
        var connection = AnalysisModelConnection.Parse("Endpoint=https://llm.local/v1;Model=small;Provider=openai;Key=secret");
        Assert.True(connection.IsOpenAi);
        Assert.Equal("secret", connection.Key);
        Assert.Equal(new Uri("https://llm.local/v1/"), connection.Endpoint);
        Assert.DoesNotContain("secret", connection.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Model=x")]
    [InlineData("Endpoint=ftp://x;Model=y")]
    [InlineData("Endpoint=http://x")]
    [InlineData("Endpoint=http://x;Model=y;Provider=bard")]
    public void RejectsIncompleteStrings(string text) => Assert.False(AnalysisModelConnection.TryParse(text, out _, out _));
}
