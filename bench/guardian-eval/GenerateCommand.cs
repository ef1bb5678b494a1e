using Chatroom.Guardian.Eval.Corpus;

namespace Chatroom.Guardian.Eval;

/// <summary><c>generate [--data dir] [--seed n]</c>: writes dev.jsonl and test.jsonl from the generator families and the hand-written file.</summary>
internal static class GenerateCommand
{
    public const int DefaultSeed = 20261207;

    public static int Run(string data, int seed, TextWriter output)
    {
        var all = ConcerningFamilies.All.Concat(OrdinaryFamilies.All)
            .SelectMany(f => ConversationGenerator.Generate(f, seed))
            .Concat(HandWritten.Read(Path.Combine(data, "hand-written.txt")))
            .ToList();
        foreach (var split in new[] { "dev", "test" })
        {
            var rows = all.Where(c => c.Split == split).ToList();
            LabelledConversation.Write(Path.Combine(data, $"{split}.jsonl"), rows);
            output.WriteLine($"{split}: {rows.Count} conversations ({rows.Count(r => r.Label == 1)} concerning, {rows.Count(r => r.Label == 0)} ordinary), "
                + $"families {string.Join(", ", rows.Select(r => r.Family).Distinct())}");
        }

        return 0;
    }
}
