using System.Globalization;
using System.Text.RegularExpressions;
using Chatroom.Analysis.Guardian;

namespace Chatroom.Guardian.Eval.Corpus;

/// <summary>Reads the hand-written conversations (conversations/hand-written.txt): the test split's family no generator wrote.</summary>
internal static partial class HandWritten
{
    public const string Family = "hand-written";

    public static IEnumerable<LabelledConversation> Read(string path)
    {
        string? id = null;
        var label = 0;
        var ages = Array.Empty<int>();
        var lines = new List<GuardianLine>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (Header().Match(line) is { Success: true } header)
            {
                if (id is not null)
                {
                    yield return Conversation(id, label, ages, lines);
                }

                id = header.Groups[1].Value;
                label = int.Parse(header.Groups[2].Value, CultureInfo.InvariantCulture);
                ages = [int.Parse(header.Groups[3].Value, CultureInfo.InvariantCulture), int.Parse(header.Groups[4].Value, CultureInfo.InvariantCulture)];
                lines = [];
            }
            else if (id is not null && line.Length > 3 && line[1] == ':' && line[0] is 'o' or 'y')
            {
                lines.Add(new GuardianLine(line[..1], line[2..].Trim(), null));
            }
        }

        if (id is not null)
        {
            yield return Conversation(id, label, ages, lines);
        }
    }

    private static LabelledConversation Conversation(string id, int label, int[] ages, List<GuardianLine> lines) =>
        new(id, Family, "test", label, [new GuardianParticipant("o", ages[0]), new GuardianParticipant("y", ages[1])], lines);

    [GeneratedRegex(@"^## (\S+) label=([01]) ages=(\d+),(\d+)$")]
    private static partial Regex Header();
}
