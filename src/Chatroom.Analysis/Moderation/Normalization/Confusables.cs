using System.Text;

namespace Chatroom.Analysis.Moderation.Normalization;

/// <summary>Maps letters that look like ASCII letters (accented Latin, Cyrillic, Greek, small capitals) to lower-case ASCII.</summary>
internal static class Confusables
{
    private const int TableSize = 0x0530;

    private static readonly char[] Table = BuildTable();

    private static readonly Dictionary<char, char> Extra = new()
    {
        ['ᴀ'] = 'a', ['ᴄ'] = 'c', ['ᴅ'] = 'd', ['ᴇ'] = 'e', ['ᴊ'] = 'j', ['ᴋ'] = 'k', ['ᴍ'] = 'm', ['ᴏ'] = 'o',
        ['ᴘ'] = 'p', ['ᴛ'] = 't', ['ᴜ'] = 'u', ['ᴠ'] = 'v', ['ᴡ'] = 'w', ['ᴢ'] = 'z', ['ꜰ'] = 'f', ['ꜱ'] = 's',
        ['ℓ'] = 'l',
    };

    /// <summary>Returns the ASCII lower-case letter <paramref name="c"/> stands for, or '\0' when it is no look-alike.</summary>
    public static char ToAsciiLower(char c, out bool disguised)
    {
        disguised = false;
        if (c < 0x80)
        {
            return char.IsAsciiLetter(c) ? (char)(c | 0x20) : '\0';
        }

        char mapped;
        if (c < TableSize)
        {
            mapped = Table[c];
        }
        else if (!Extra.TryGetValue(c, out mapped))
        {
            return '\0';
        }

        // Accented Latin is ordinary spelling; other scripts standing in for Latin letters are a disguise.
        disguised = mapped != '\0' && c >= 0x0250;
        return mapped;
    }

    private static char[] BuildTable()
    {
        var table = new char[TableSize];
        for (var c = (char)0xC0; c < 0x250; c++)
        {
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            if (decomposed.Length > 0 && char.IsAsciiLetter(decomposed[0]))
            {
                table[c] = char.ToLowerInvariant(decomposed[0]);
            }
        }

        Set(table, "øØ", 'o');
        Set(table, "łŁ", 'l');
        Set(table, "đĐðÐ", 'd');
        Set(table, "ı", 'i');
        Set(table, "ß", 's');
        Set(table, "þÞ", 'p');
        Set(table, "ɑ", 'a');
        Set(table, "ʙ", 'b');
        Set(table, "ɢ", 'g');
        Set(table, "ʜ", 'h');
        Set(table, "ɪ", 'i');
        Set(table, "ʟ", 'l');
        Set(table, "ɴ", 'n');
        Set(table, "ʀ", 'r');
        Set(table, "ʏ", 'y');

        // Greek.
        Set(table, "αΑάΆ", 'a');
        Set(table, "βΒ", 'b');
        Set(table, "γ", 'y');
        Set(table, "δ", 'd');
        Set(table, "εΕέΈ", 'e');
        Set(table, "ζΖ", 'z');
        Set(table, "ηήΗΉ", 'n');
        Set(table, "ιΙίΊϊΐ", 'i');
        Set(table, "κΚ", 'k');
        Set(table, "Μ", 'm');
        Set(table, "νΝ", 'v');
        Set(table, "οΟόΌσ", 'o');
        Set(table, "ρΡ", 'p');
        Set(table, "τΤ", 't');
        Set(table, "υύϋΥ", 'u');
        Set(table, "χΧ", 'x');
        Set(table, "ωώ", 'w');
        Set(table, "μ", 'u');
        Set(table, "ς", 's');

        // Cyrillic.
        Set(table, "аА", 'a');
        Set(table, "вВьЬ", 'b');
        Set(table, "еЕёЁэЭ", 'e');
        Set(table, "кК", 'k');
        Set(table, "мМ", 'm');
        Set(table, "нН", 'h');
        Set(table, "оО", 'o');
        Set(table, "рР", 'p');
        Set(table, "сС", 'c');
        Set(table, "тТ", 't');
        Set(table, "уУ", 'y');
        Set(table, "хХ", 'x');
        Set(table, "ѕЅ", 's');
        Set(table, "іІїЇ", 'i');
        Set(table, "јЈ", 'j');
        Set(table, "һҺ", 'h');
        Set(table, "пП", 'n');
        Set(table, "гГ", 'r');
        Set(table, "иИ", 'u');
        Set(table, "ԁ", 'd');
        Set(table, "ԛ", 'q');
        Set(table, "ԝ", 'w');
        return table;
    }

    private static void Set(char[] table, string letters, char target)
    {
        foreach (var c in letters)
        {
            table[c] = target;
        }
    }
}
