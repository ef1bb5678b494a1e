using System.Globalization;
using System.Text.RegularExpressions;
using Chatroom.Analysis.Guardian;

namespace Chatroom.Guardian.Eval.Corpus;

/// <summary>Turns generator families into labelled conversations: seeded, so the committed files can be written again.</summary>
internal static partial class ConversationGenerator
{
    private static readonly Dictionary<string, string[]> Slots = new()
    {
        ["game"] = ["Fortnite", "Roblox", "Minecraft", "Rocket League", "Among Us", "Valorant", "Brawl Stars", "Apex"],
        ["item"] = ["galaxy", "dragon", "neon", "golden", "ninja", "legendary", "skeleton"],
        ["coins"] = ["1000", "2000", "800", "5000"],
        ["app"] = ["Snapchat", "WhatsApp", "Telegram", "Discord", "Kik", "Signal", "Instagram"],
        ["town"] = ["Leeds", "near the station", "Riverside", "the north side", "Oakfield", "Brighton", "Millbrook"],
        ["place"] = ["park", "shopping centre", "bus station", "cinema", "library", "skate park", "café on the corner"],
        ["day"] = ["Saturday", "Friday", "Sunday", "Wednesday", "Tuesday", "Thursday"],
        ["money"] = ["£200", "$150", "100 euros", "£300"],
        ["subject"] = ["maths", "science", "history", "English", "French", "geography"],
        ["topic"] = ["fractions", "photosynthesis", "the French verbs", "the Tudors", "equations", "the water cycle"],
        ["name"] = ["Sam", "Maya", "Leo", "Aisha", "Tom", "Zoe", "Ben", "Priya"],
        ["teacher"] = ["Patel", "Jones", "Garcia", "Novak", "Brown", "Okafor"],
        ["code"] = ["X7K2", "QP44", "RR19", "BLUE7"],
        ["handle"] = ["shadowfox", "pixelqueen", "turbo_tim", "nightowl12"],
        ["club"] = ["chess club", "book club", "running club", "allotment society", "choir"],
        ["sport"] = ["football", "netball", "hockey", "basketball", "volleyball"],
        ["thing"] = ["bike", "sofa", "camera", "desk", "guitar", "pram"],
    };

    public static IEnumerable<LabelledConversation> Generate(Family family, int seed)
    {
        var random = new Random(seed ^ StableHash(family.Name));
        for (var n = 0; n < family.Count; n++)
        {
            yield return One(family, random, $"{family.Name}-{n + 1:D3}");
        }
    }

    private static LabelledConversation One(Family family, Random random, string id)
    {
        var olderAge = random.Next(family.OlderAge.Min, family.OlderAge.Max + 1);
        var youngerAge = Math.Min(olderAge, random.Next(family.YoungerAge.Min, family.YoungerAge.Max + 1));
        var fill = Slots.ToDictionary(s => s.Key, s => s.Value[random.Next(s.Value.Length)]);
        fill["age"] = youngerAge.ToString(CultureInfo.InvariantCulture);
        fill["fakeage"] = Math.Min(youngerAge + random.Next(0, 3), 17).ToString(CultureInfo.InvariantCulture);
        fill["year"] = Math.Max(1, youngerAge - 4).ToString(CultureInfo.InvariantCulture);

        var middle = Enumerable.Range(0, family.Middle.Length).OrderBy(_ => random.Next())
            .Take(random.Next(family.MiddleBeats.Min, family.MiddleBeats.Max + 1)).Order().Select(i => family.Middle[i]);
        var beats = family.Opening.Concat(middle).Concat(random.NextDouble() < 0.7 ? family.Closing : []);

        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)
            .AddDays(random.Next(0, 200))
            .AddHours(family.Hours[random.Next(family.Hours.Length)])
            .AddMinutes(random.Next(0, 60));
        var at = start;
        var lines = new List<GuardianLine>();
        foreach (var beat in beats)
        {
            var older = beat.Older.Length > 0 ? Fill(beat.Older[random.Next(beat.Older.Length)], fill) : null;
            var younger = beat.Younger.Length > 0 && random.NextDouble() < 0.85 ? Fill(beat.Younger[random.Next(beat.Younger.Length)], fill) : null;
            foreach (var (from, text) in beat.YoungerFirst ? [("y", younger), ("o", older)] : new[] { ("o", older), ("y", younger) })
            {
                if (text is not null)
                {
                    at = at.AddSeconds(random.Next(20, 600));
                    lines.Add(new GuardianLine(from, text, at));
                }
            }
        }

        return new LabelledConversation(id, family.Name, family.Split, family.Label,
            [new GuardianParticipant("o", olderAge), new GuardianParticipant("y", youngerAge)], lines);
    }

    private static string Fill(string template, Dictionary<string, string> fill) =>
        SlotPattern().Replace(template, m => fill.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked(hash * 31 + c);
        }

        return hash;
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex SlotPattern();
}
