using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Tests.Moderation;

public sealed class TextNormalizerTests
{
    private static string Normalize(string text) => TextNormalizer.Default.Normalize(text).ToString();

    [Theory]
    [InlineData("f.u c-k you", "fuck you")]
    [InlineData("f u c k off", "fuck off")]
    [InlineData("f*ck this", "fuck this")]
    [InlineData("sh*t", "shit")]
    [InlineData("fuuuuuck", "fuck")]
    [InlineData("sh1t h3ll0 w0rld", "shit hello world")]
    [InlineData("ｆｕｃｋ", "fuck")]
    [InlineData("𝐟𝐮𝐜𝐤 𝐲𝐨𝐮", "fuck you")]
    [InlineData("b!tch", "bitch")]
    [InlineData("a$$hole", "asshole")]
    [InlineData("@ss", "ass")]
    [InlineData("n i g g e r", "nigger")]
    [InlineData("s u i c i d e", "suicide")]
    [InlineData("f\u200Buck", "fuck")]
    public void UndoesEvasions(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("уоu аrе а mоrоn", "you are a moron")]
    [InlineData("ɪᴅɪᴏᴛ", "idiot")]
    [InlineData("ιdιοt", "idiot")]
    public void MapsLookAlikeLettersToLatin(string input, string expected)
    {
        var normalized = TextNormalizer.Default.Normalize(input);
        Assert.Equal(expected, normalized.ToString());
        Assert.True(normalized.Evasions > 0);
    }

    [Theory]
    [InlineData("kys", "kill yourself")]
    [InlineData("k.y.s", "kill yourself")]
    [InlineData("stfu", "shut the fuck up")]
    [InlineData("gtfo", "get the fuck out")]
    [InlineData("h8 u", "hate you")]
    [InlineData("ur so dumb", "your so dumb")]
    [InlineData("idk tbh", "i don't know tbh")]
    public void ExpandsAcronymsAndSubstitutes(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("soooo goooood", "so good")]
    [InlineData("hellooo", "hello")]
    [InlineData("well-known issue", "well known issue")]
    [InlineData("meet at 5.30pm", "meet at 5 30pm")]
    [InlineData("I'm fine", "i'm fine")]
    public void LeavesOrdinaryWritingReadable(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Fact]
    public void KeepsTracesOfIntensity()
    {
        var normalized = TextNormalizer.Default.Normalize("GREAT!!! sooo good :) 😀");
        Assert.Equal(3, normalized.Exclamations);
        Assert.True(normalized.Tokens[0].Is(TokenTraits.AllCaps));
        Assert.True(normalized.Tokens[1].Is(TokenTraits.Stretched));
        Assert.Contains(normalized.Tokens, t => t.Kind == TokenKind.Emoticon && t.Text == ":)");
        Assert.Contains(normalized.Tokens, t => t.Kind == TokenKind.Emoji && t.Text == "😀");
    }

    [Fact]
    public void RecognisesLinksAndMentions()
    {
        var normalized = TextNormalizer.Default.Normalize("@sam see https://example.com/x and www.test.org");
        Assert.Equal(2, normalized.Urls);
        Assert.Equal(1, normalized.Mentions);
    }

    [Fact]
    public void HandlesEmptyAndWhitespace()
    {
        Assert.Empty(TextNormalizer.Default.Normalize(null).Tokens);
        Assert.Empty(TextNormalizer.Default.Normalize("   \t ").Tokens);
    }
}
