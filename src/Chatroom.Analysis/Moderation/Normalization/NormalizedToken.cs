namespace Chatroom.Analysis.Moderation.Normalization;

/// <summary>One normalised token: lower-case ASCII for words, the symbol itself for emoji and emoticons.</summary>
public readonly record struct NormalizedToken(string Text, TokenKind Kind, TokenTraits Traits)
{
    public bool Is(TokenTraits trait) => (Traits & trait) != 0;
}
