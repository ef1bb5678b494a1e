using System.Text;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Cuts text or Markdown into passages of about <see cref="TargetLength"/> characters at paragraph boundaries, each
/// prefixed with the headings it sits under, so a passage still says what it is about when read alone.
/// </summary>
public static class KnowledgeChunker
{
    public const int TargetLength = 800;
    public const int MaxLength = 1600;

    public static IReadOnlyList<string> Chunk(string text)
    {
        var chunks = new List<string>();
        var headings = new List<(int Level, string Text)>();
        var current = new StringBuilder();
        string? currentContext = null;

        void Flush()
        {
            var body = current.ToString().Trim();
            if (body.Length > 0)
            {
                chunks.Add(currentContext is null ? body : $"{currentContext}\n{body}");
            }

            current.Clear();
        }

        foreach (var paragraph in Paragraphs(text))
        {
            if (paragraph.StartsWith('#'))
            {
                Flush();
                var level = paragraph.TakeWhile(c => c == '#').Count();
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, paragraph.TrimStart('#').Trim()));
                currentContext = string.Join(" › ", headings.Select(h => h.Text));
                continue;
            }

            foreach (var piece in Split(paragraph))
            {
                if (current.Length > 0 && current.Length + piece.Length > TargetLength)
                {
                    Flush();
                }

                current.Append(piece).Append("\n\n");
            }
        }

        Flush();
        return chunks;
    }

    private static IEnumerable<string> Paragraphs(string text)
    {
        var paragraph = new StringBuilder();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith('#'))
            {
                if (paragraph.Length > 0)
                {
                    yield return paragraph.ToString().Trim();
                    paragraph.Clear();
                }

                yield return line.Trim();
            }
            else if (string.IsNullOrWhiteSpace(line))
            {
                if (paragraph.Length > 0)
                {
                    yield return paragraph.ToString().Trim();
                    paragraph.Clear();
                }
            }
            else
            {
                paragraph.Append(line.Trim()).Append(' ');
            }
        }

        if (paragraph.Length > 0)
        {
            yield return paragraph.ToString().Trim();
        }
    }

    /// <summary>A paragraph longer than <see cref="MaxLength"/> is cut at sentence ends.</summary>
    private static IEnumerable<string> Split(string paragraph)
    {
        if (paragraph.Length <= MaxLength)
        {
            yield return paragraph;
            yield break;
        }

        var piece = new StringBuilder();
        foreach (var sentence in paragraph.Split(". "))
        {
            if (piece.Length + sentence.Length > TargetLength && piece.Length > 0)
            {
                yield return piece.ToString().Trim();
                piece.Clear();
            }

            piece.Append(sentence.Length > MaxLength ? sentence[..MaxLength] : sentence).Append(". ");
        }

        if (piece.Length > 0)
        {
            yield return piece.ToString().Trim();
        }
    }
}
