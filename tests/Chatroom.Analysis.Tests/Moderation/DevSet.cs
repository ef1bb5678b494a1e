using System.Text.Json;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>One labelled message of the development set (Moderation/Data/devset.jsonl).</summary>
public sealed record DevSetItem(string Text, string Mood, string Safety, string[] Categories);

internal static class DevSet
{
    private static readonly Lazy<IReadOnlyList<DevSetItem>> Items = new(Load);

    public static IReadOnlyList<DevSetItem> All => Items.Value;

    private static List<DevSetItem> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Moderation", "Data", "devset.jsonl");
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        return File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<DevSetItem>(line, options)!)
            .ToList();
    }
}
