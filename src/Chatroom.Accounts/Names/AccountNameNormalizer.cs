using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Chatroom.Accounts.Names;

/// <summary>
/// Identity's lookup normaliser, so its unique index on the normalised user name refuses names that differ only by case,
/// width or confusable letters: NFKC (full-width and compatibility forms), case folding, then a skeleton that maps
/// look-alikes onto one letter (Cyrillic and Greek homoglyphs, 0/o, 1/l/I/i, rn/m, vv/w). Emails get NFKC and case
/// folding only: two mailboxes that merely look alike are still different mailboxes.
/// </summary>
public sealed class AccountNameNormalizer : ILookupNormalizer
{
    // A deliberately small table of the look-alikes people use to impersonate; UTS #39's full table is larger.
    private static readonly Dictionary<char, char> Confusables = new()
    {
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p',
        ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['ѕ'] = 's', ['ԁ'] = 'd',
        ['ɡ'] = 'g', ['ԛ'] = 'q', ['ԝ'] = 'w', ['һ'] = 'h',
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p',
        ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['ω'] = 'w',
        ['0'] = 'o', ['1'] = 'i', ['l'] = 'i', ['|'] = 'i', ['ı'] = 'i', ['!'] = 'i', ['5'] = 's', ['$'] = 's', ['@'] = 'a',
    };

    public string? NormalizeName(string? name) => name is null ? null : Skeleton(name);

    public string? NormalizeEmail(string? email) =>
        email?.Normalize(NormalizationForm.FormKC).ToUpperInvariant();

    /// <summary>The form two names share when a person would read them as the same name.</summary>
    public static string Skeleton(string name)
    {
        var folded = name.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var text = new StringBuilder(folded.Length);
        foreach (var c in folded.Normalize(NormalizationForm.FormD))
        {
            // Accents go: "é" and "e" read as one name.
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            text.Append(Confusables.TryGetValue(c, out var plain) ? plain : c);
        }

        return text.Replace("rn", "m").Replace("vv", "w").ToString();
    }
}
