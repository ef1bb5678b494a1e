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
