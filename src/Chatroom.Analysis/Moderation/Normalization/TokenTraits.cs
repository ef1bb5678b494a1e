namespace Chatroom.Analysis.Moderation.Normalization;

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
