using System.Text.Json;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>One labelled message of the development set (Moderation/Data/devset.jsonl).</summary>
public sealed record DevSetItem(string Text, string Mood, string Safety, string[] Categories);

internal static class DevSet
{
    private static readonly Lazy<IReadOnlyList<DevSetItem>> Items = new(() => Load("devset.jsonl"));
    private static readonly Lazy<IReadOnlyList<DevSetItem>> HeldOutItems = new(() => Load("heldout.jsonl"));

    public static IReadOnlyList<DevSetItem> All => Items.Value;

    /// <summary>Messages written before the generalisation rework and never used to tune rules (docs/moderation.md).</summary>
    public static IReadOnlyList<DevSetItem> HeldOut => HeldOutItems.Value;

    private static List<DevSetItem> Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Moderation", "Data", file);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        return File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<DevSetItem>(line, options)!)
            .ToList();
    }
}
