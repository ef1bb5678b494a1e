namespace Chatroom.Analysis.Moderation.Normalization;

/// <summary>What a token is after normalisation.</summary>
public enum TokenKind : byte
{
    Word,
    Number,
    Emoji,
    Emoticon,
    Url,
    Mention,
}

/// <summary>How a token looked before normalisation; evasions leave a trace here.</summary>
[Flags]
public enum TokenTraits : byte
{
    None = 0,
    AllCaps = 1,
    Stretched = 2,
    Obfuscated = 4,
    Expanded = 8,
}

/// <summary>One normalised token: lower-case ASCII for words, the symbol itself for emoji and emoticons.</summary>
public readonly record struct NormalizedToken(string Text, TokenKind Kind, TokenTraits Traits)
{
    public bool Is(TokenTraits trait) => (Traits & trait) != 0;
}
