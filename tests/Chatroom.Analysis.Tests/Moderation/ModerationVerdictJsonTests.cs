using System.Text.Json;
using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Analysis.Tests.Moderation;

public sealed class ModerationVerdictJsonTests
{
    [Fact]
    public void SerialisesCamelCaseWithTheDocumentedFields()
    {
        var verdict = ClassifierModerator.Default.Classify("you're an idiot");
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(verdict, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var root = json.RootElement;
        Assert.Equal("sad", root.GetProperty("mood").GetString());
        Assert.InRange(root.GetProperty("moodScore").GetDouble(), -1, 1);
        Assert.Equal("unsafe", root.GetProperty("safety").GetString());
        Assert.InRange(root.GetProperty("unsafeScore").GetDouble(), 0, 1);
        Assert.Equal("harassment", root.GetProperty("categories")[0].GetString());
        Assert.Equal("embedded", root.GetProperty("tier").GetString());
        Assert.True(root.TryGetProperty("confidence", out _));
    }
}
