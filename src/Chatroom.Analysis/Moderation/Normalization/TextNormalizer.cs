using System.Buffers;
using System.Text;

namespace Chatroom.Analysis.Moderation.Normalization;

/// <summary>
/// Turns a chat message into tokens that defeat the usual evasions: Unicode NFKC and look-alike letters,
/// leetspeak, masks (<c>f*ck</c>), stretched letters, separators and spaces inside words, acronyms.
/// </summary>
public sealed class TextNormalizer
{
    private const int MaxJoin = 10;

    private readonly ModerationLexicon _lexicon;

    public TextNormalizer(ModerationLexicon lexicon)
    {
        _lexicon = lexicon;
    }

    public static TextNormalizer Default { get; } = new(ModerationLexicon.Default);

    public NormalizedText Normalize(string? text)
    {
        var original = text ?? string.Empty;
        var source = original;
        if (!Ascii.IsValid(source) && !source.IsNormalized(NormalizationForm.FormKC))
        {
            source = source.Normalize(NormalizationForm.FormKC);
        }

        var counts = default(SurfaceCounts);
        var tokens = new List<NormalizedToken>(Math.Min(64, 4 + (source.Length / 4)));
        var buffer = ArrayPool<char>.Shared.Rent(source.Length + 8);
        try
        {
            var position = 0;
            while (position < source.Length)
            {
                while (position < source.Length && IsSpace(source[position]))
                {
                    position++;
                }

                var start = position;
                while (position < source.Length && !IsSpace(source[position]))
                {
                    position++;
                }

                if (position > start)
                {
                    ProcessRaw(source.AsSpan(start, position - start), tokens, buffer, ref counts);
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        JoinSpacedLetters(tokens, ref counts);
        var result = ExpandAcronyms(tokens);
        return new NormalizedText(original, result, counts);
    }

    private static bool IsSpace(char c) => char.IsWhiteSpace(c);

    private static bool IsInvisible(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\uFE0F' or '\uFE0E';

    private static bool IsLeetSymbol(char c) => c is '$' or '@' or '!' or '|' or '+' or '€' or '*';

    private void ProcessRaw(ReadOnlySpan<char> raw, List<NormalizedToken> tokens, char[] buffer, ref SurfaceCounts counts)
    {
        foreach (var c in raw)
        {
            if (char.IsLetter(c))
            {
                counts.Letters++;
                if (char.IsUpper(c))
                {
                    counts.UpperLetters++;
                }
            }
        }

        if (IsUrl(raw))
        {
            counts.Urls++;
            tokens.Add(new NormalizedToken("<url>", TokenKind.Url, TokenTraits.None));
            return;
        }

        var trimmed = _lexicon.EmoticonLookup.Contains(raw) ? raw : raw.TrimEnd(".,!?\"");
        if (trimmed.Length >= 2 && _lexicon.EmoticonLookup.TryGetValue(trimmed, out var emoticon))
        {
            CountTrailing(raw[trimmed.Length..], ref counts);
            tokens.Add(new NormalizedToken(emoticon, TokenKind.Emoticon, TokenTraits.None));
            return;
        }

        if (raw.Length > 1 && raw[0] == '@' && char.IsAsciiLetterOrDigit(raw[1]) && !LooksLikeLeetA(raw))
        {
            counts.Mentions++;
            CountTrailing(raw, ref counts);
            tokens.Add(new NormalizedToken("<mention>", TokenKind.Mention, TokenTraits.None));
            return;
        }

        // Walk the raw token: emoji become their own tokens, letters are mapped, separators split pieces.
        var pieces = ArrayPool<Piece>.Shared.Rent(raw.Length + 1);
        var pieceCount = 0;
        var length = 0;
        var pieceStart = 0;
        var letters = 0;
        var uppers = 0;
        var disguised = false;
        var noEmojiBetween = true;

        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (IsInvisible(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, raw[i + 1]);
                i++;
                if (codePoint is >= 0x1F1E6 and <= 0x1F1FF)
                {
                    buffer[length++] = (char)('a' + (codePoint - 0x1F1E6));
                    letters++;
                    disguised = true;
                    continue;
                }

                if (codePoint is >= 0x1F3FB and <= 0x1F3FF)
                {
                    continue;
                }

                FlushPiece();
                noEmojiBetween = false;
                AddEmoji(raw.Slice(i - 1, 2), tokens);
                continue;
            }

            if (IsSymbolEmoji(c))
            {
                FlushPiece();
                noEmojiBetween = false;
                AddEmoji(raw.Slice(i, 1), tokens);
                continue;
            }

            var mapped = Confusables.ToAsciiLower(c, out var wasDisguised);
            if (mapped != '\0')
            {
                buffer[length++] = mapped;
                letters++;
                if (char.IsUpper(c))
                {
                    uppers++;
                }

                disguised |= wasDisguised;
                continue;
            }

            if (char.IsLetter(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
                letters++;
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                buffer[length++] = c;
                continue;
            }

            if (IsLeetSymbol(c) && IsLeetInWord(raw, i, length > pieceStart))
            {
                buffer[length++] = c;
                continue;
            }

            if (c is '\'' or '\u2019' or '\u2018' or '`' && length > pieceStart && i + 1 < raw.Length && char.IsLetter(raw[i + 1]))
            {
                buffer[length++] = '\'';
                continue;
            }

            if (c == '!')
            {
                counts.Exclamations++;
            }
            else if (c == '?')
            {
                counts.Questions++;
            }

            FlushPiece();
        }

        FlushPiece();
        try
        {
            if (pieceCount == 0 || (pieceCount > 1 && noEmojiBetween && TryJoinPieces(buffer, pieces.AsSpan(0, pieceCount), tokens, ref counts)))
            {
                return;
            }

            for (var p = 0; p < pieceCount; p++)
            {
                var piece = pieces[p];
                AddWord(buffer.AsSpan(piece.Start, piece.Length), piece.Upper, piece.Disguised, tokens, ref counts);
            }
        }
        finally
        {
            ArrayPool<Piece>.Shared.Return(pieces);
        }

        void FlushPiece()
        {
            if (length > pieceStart)
            {
                pieces[pieceCount++] = new Piece(pieceStart, length - pieceStart, letters, uppers, disguised);
            }

            pieceStart = length;
            letters = 0;
            uppers = 0;
            disguised = false;
        }
    }

    /// <summary>A symbol is a letter in disguise when it sits inside or at the edge of a word ("b!tch", "a$$", "f**k").</summary>
    private static bool IsLeetInWord(ReadOnlySpan<char> raw, int index, bool afterLetters)
    {
        var next = index + 1 < raw.Length ? raw[index + 1] : '\0';
        var nextIsWord = char.IsLetterOrDigit(next) || (next != '\0' && IsLeetSymbol(next) && next != '!');
        if (raw[index] is '!' or '|')
        {
            return afterLetters && char.IsLetter(next);
        }

        if (afterLetters || nextIsWord)
        {
            for (var i = Math.Max(0, index - 4); i < Math.Min(raw.Length, index + 5); i++)
            {
                if (char.IsLetter(raw[i]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool LooksLikeLeetA(ReadOnlySpan<char> raw)
    {
        Span<char> candidate = stackalloc char[Math.Min(raw.Length, 32)];
        var n = 0;
        candidate[n++] = 'a';
        for (var i = 1; i < raw.Length && n < candidate.Length; i++)
        {
            if (!char.IsAsciiLetter(raw[i]))
            {
                break;
            }

            candidate[n++] = (char)(raw[i] | 0x20);
        }

        return _lexicon.TargetLookup.Contains(candidate[..n]);
    }

    private static void CountTrailing(ReadOnlySpan<char> tail, ref SurfaceCounts counts)
    {
        foreach (var c in tail)
        {
            if (c == '!')
            {
                counts.Exclamations++;
            }
            else if (c == '?')
            {
                counts.Questions++;
            }
        }
    }

    private static bool IsSymbolEmoji(char c) => c is (>= '\u2600' and <= '\u27BF') or '\u2B50' or '\u2B55' or '\u2764' or '\u2665' or '\u263A' or '\u2639';

    private void AddEmoji(ReadOnlySpan<char> emoji, List<NormalizedToken> tokens)
    {
        var text = _lexicon.ValenceKeyLookup.TryGetValue(emoji, out var known) ? known : emoji.ToString();
        tokens.Add(new NormalizedToken(text, TokenKind.Emoji, TokenTraits.None));
    }

    private static bool IsUrl(ReadOnlySpan<char> raw)
    {
        if (raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dot = raw.LastIndexOf('.');
        if (dot <= 0 || dot == raw.Length - 1)
        {
            return false;
        }

        var slash = raw[(dot + 1)..].IndexOf('/');
        var tld = slash >= 0 ? raw.Slice(dot + 1, slash) : raw[(dot + 1)..];
        return tld is "com" or "net" or "org" or "io" or "gg" or "ly" or "xyz" or "co" or "me" or "tv" or "ru" or "info" or "biz" or "link" or "click" or "top" or "shop";
    }

    private bool TryJoinPieces(char[] buffer, ReadOnlySpan<Piece> pieces, List<NormalizedToken> tokens, ref SurfaceCounts counts)
    {
        var allShort = true;
        var total = 0;
        var anyLetter = false;
        foreach (var piece in pieces)
        {
            allShort &= piece.Length <= 2;
            total += piece.Length;
            anyLetter |= buffer.AsSpan(piece.Start, piece.Length).ContainsAnyInRange('a', 'z');
        }

        if (!anyLetter)
        {
            return false;
        }

        Span<char> joined = stackalloc char[Math.Min(total, 128)];
        if (total > joined.Length)
        {
            return false;
        }

        var n = 0;
        var letters = 0;
        var uppers = 0;
        var disguised = false;
        foreach (var piece in pieces)
        {
            buffer.AsSpan(piece.Start, piece.Length).CopyTo(joined[n..]);
            n += piece.Length;
            letters += piece.Letters;
            uppers += piece.Uppers;
            disguised |= piece.Disguised;
        }

        var upper = letters >= 2 && uppers == letters;

        var resolved = ResolveWord(joined, out var traits);
        var known = resolved is not null && _lexicon.ObfuscationTargetSet.Contains(resolved);
        if (!(allShort || known))
        {
            return false;
        }

        counts.Evasions += known ? 1 : 0;
        traits |= known ? TokenTraits.Obfuscated : TokenTraits.None;
        traits |= upper ? TokenTraits.AllCaps : TokenTraits.None;
        tokens.Add(new NormalizedToken(resolved ?? new string(joined), TokenKind.Word, traits | (disguised ? TokenTraits.Obfuscated : TokenTraits.None)));
        return true;
    }

    private void AddWord(ReadOnlySpan<char> piece, bool upper, bool disguised, List<NormalizedToken> tokens, ref SurfaceCounts counts)
    {
        var hasLetter = false;
        var allDigits = true;
        foreach (var c in piece)
        {
            hasLetter |= char.IsLetter(c);
            allDigits &= char.IsAsciiDigit(c);
        }

        if (!hasLetter)
        {
            if (allDigits)
            {
                tokens.Add(new NormalizedToken(piece.ToString(), TokenKind.Number, TokenTraits.None));
            }
            else if (piece.Length > 1 && piece.IndexOfAnyExcept("$@!|+€*") < 0)
            {
                return;
            }
            else if (ResolveWord(piece, out var symbolTraits) is { } symbolWord && _lexicon.ObfuscationTargetSet.Contains(symbolWord))
            {
                counts.Evasions++;
                tokens.Add(new NormalizedToken(symbolWord, TokenKind.Word, symbolTraits));
            }

            return;
        }

        var word = ResolveWord(piece, out var traits) ?? piece.ToString();
        if (disguised)
        {
            traits |= TokenTraits.Obfuscated;
        }

        if ((traits & TokenTraits.Obfuscated) != 0)
        {
            counts.Evasions++;
        }

        if (upper)
        {
            traits |= TokenTraits.AllCaps;
        }

        tokens.Add(new NormalizedToken(word, TokenKind.Word, traits));
    }

    /// <summary>Resolves leetspeak, masks and stretching; returns null when the piece is fine as it is.</summary>
    private string? ResolveWord(ReadOnlySpan<char> piece, out TokenTraits traits)
    {
        traits = TokenTraits.None;
        Span<char> work = stackalloc char[Math.Min(piece.Length, 128)];
        if (piece.Length > work.Length)
        {
            return null;
        }

        piece.CopyTo(work);
        var hasLeet = false;
        var hasMask = false;
        var hasOne = false;
        for (var i = 0; i < work.Length; i++)
        {
            var mapped = work[i] switch
            {
                '4' or '@' => 'a',
                '3' or '€' => 'e',
                '1' or '!' or '|' => 'i',
                '0' => 'o',
                '5' or '$' => 's',
                '7' or '+' => 't',
                '8' => 'b',
                '9' => 'g',
                _ => '\0',
            };
            if (mapped != '\0')
            {
                hasOne |= work[i] is '1' or '|' or '!';
                work[i] = mapped;
                hasLeet = true;
            }
            else if (work[i] == '*')
            {
                hasMask = true;
            }
        }

        var vocabulary = _lexicon.VocabularyLookup;
        if (hasMask)
        {
            var unmasked = ResolveMask(work);
            if (unmasked is not null)
            {
                traits = TokenTraits.Obfuscated;
                return unmasked;
            }

            var kept = 0;
            for (var i = 0; i < work.Length; i++)
            {
                if (work[i] != '*')
                {
                    work[kept++] = work[i];
                }
            }

            work = work[..kept];
            if (work.Length == 0)
            {
                return null;
            }
        }

        if (hasLeet)
        {
            if (vocabulary.Contains(piece))
            {
                return null;
            }

            if (TryKnown(work, out var leet, out var stretched))
            {
                traits = TokenTraits.Obfuscated | stretched;
                return leet;
            }

            if (hasOne)
            {
                for (var i = 0; i < work.Length; i++)
                {
                    if (work[i] == 'i' && piece[i] is '1' or '|' or '!')
                    {
                        work[i] = 'l';
                    }
                }

                if (TryKnown(work, out leet, out stretched))
                {
                    traits = TokenTraits.Obfuscated | stretched;
                    return leet;
                }
            }

            return hasMask ? new string(work) : null;
        }

        if (TryKnown(work, out var resolved, out var stretchTrait))
        {
            traits = stretchTrait;
            return resolved;
        }

        return hasMask ? new string(work) : null;
    }

    /// <summary>Finds the known word a span stands for, undoing stretched letters ("fuuuuck", "soooo", "hellooo").</summary>
    private bool TryKnown(Span<char> word, out string? known, out TokenTraits traits)
    {
        traits = TokenTraits.None;
        var vocabulary = _lexicon.VocabularyLookup;
        if (vocabulary.TryGetValue(word, out known))
        {
            return true;
        }

        Span<char> copy = stackalloc char[word.Length];
        var length = Collapse(word, copy, minRun: 3, keep: 2);
        var stretched = length < word.Length;
        if (stretched)
        {
            traits = TokenTraits.Stretched;
            if (vocabulary.TryGetValue(copy[..length], out known))
            {
                return true;
            }

            length = Collapse(word, copy, minRun: 3, keep: 1);
            if (vocabulary.TryGetValue(copy[..length], out known))
            {
                return true;
            }
        }

        length = Collapse(word, copy, minRun: 2, keep: 1);
        if (length < word.Length && (stretched ? vocabulary.TryGetValue(copy[..length], out known) : _lexicon.TargetLookup.TryGetValue(copy[..length], out known)))
        {
            traits = stretched ? TokenTraits.Stretched : TokenTraits.Obfuscated;
            return true;
        }

        if (stretched)
        {
            length = Collapse(word, copy, minRun: 3, keep: 1);
            known = new string(copy[..length]);
            return true;
        }

        known = null;
        return false;
    }

    /// <summary>Copies <paramref name="word"/> with runs of a letter at least <paramref name="minRun"/> long cut to <paramref name="keep"/>.</summary>
    private static int Collapse(ReadOnlySpan<char> word, Span<char> destination, int minRun, int keep)
    {
        var n = 0;
        var i = 0;
        while (i < word.Length)
        {
            var c = word[i];
            var run = 1;
            while (i + run < word.Length && word[i + run] == c)
            {
                run++;
            }

            var copies = char.IsLetter(c) && run >= minRun ? keep : run;
            for (var k = 0; k < copies; k++)
            {
                destination[n++] = c;
            }

            i += run;
        }

        return n;
    }

    private string? ResolveMask(ReadOnlySpan<char> masked)
    {
        var visible = 0;
        foreach (var c in masked)
        {
            visible += c == '*' ? 0 : 1;
        }

        if (visible < 1 || masked.Length < 3)
        {
            return null;
        }

        foreach (var target in _lexicon.ObfuscationTargets)
        {
            if (target.Length != masked.Length)
            {
                continue;
            }

            var match = true;
            for (var i = 0; i < target.Length && match; i++)
            {
                match = masked[i] == '*' || masked[i] == target[i];
            }

            if (match && (visible >= 2 || masked[0] != '*'))
            {
                return target;
            }
        }

        return null;
    }

    private void JoinSpacedLetters(List<NormalizedToken> tokens, ref SurfaceCounts counts)
    {
        Span<char> joined = stackalloc char[MaxJoin * 2];
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!IsShortWord(tokens[i]))
            {
                continue;
            }

            var end = i;
            while (end + 1 < tokens.Count && end - i + 1 < MaxJoin && IsShortWord(tokens[end + 1]))
            {
                end++;
            }

            for (var last = end; last > i; last--)
            {
                var n = 0;
                for (var k = i; k <= last; k++)
                {
                    tokens[k].Text.AsSpan().CopyTo(joined[n..]);
                    n += tokens[k].Text.Length;
                }

                var count = last - i + 1;
                if ((count >= 3 || n >= 4) && n >= 3 && _lexicon.TargetLookup.TryGetValue(joined[..n], out var target))
                {
                    tokens.RemoveRange(i + 1, count - 1);
                    tokens[i] = new NormalizedToken(target, TokenKind.Word, TokenTraits.Obfuscated);
                    counts.Evasions++;
                    break;
                }
            }
        }
    }

    private readonly record struct Piece(int Start, int Length, int Letters, int Uppers, bool Disguised)
    {
        public bool Upper => Letters >= 2 && Uppers == Letters;
    }

    private static bool IsShortWord(NormalizedToken token) => token.Kind == TokenKind.Word && token.Text.Length <= 2;

    private NormalizedToken[] ExpandAcronyms(List<NormalizedToken> tokens)
    {
        var extra = 0;
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.Word && _lexicon.Acronyms.TryGetValue(token.Text, out var expansion))
            {
                extra += expansion.Length - 1;
            }
        }

        var result = new NormalizedToken[tokens.Count + extra];
        var n = 0;
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.Word && _lexicon.Acronyms.TryGetValue(token.Text, out var expansion))
            {
                var traits = token.Traits | (expansion.Length > 1 ? TokenTraits.Expanded : TokenTraits.None);
                foreach (var part in expansion)
                {
                    result[n++] = new NormalizedToken(part, TokenKind.Word, traits);
                }
            }
            else
            {
                result[n++] = token;
            }
        }

        return result;
    }
}
