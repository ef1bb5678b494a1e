namespace Chatroom.Guardian.Eval.Corpus;

/// <summary>
/// One exchange in a generated conversation: the older party says one of <see cref="Older"/>, the younger answers with one
/// of <see cref="Younger"/> (either may be empty). Lines hold slots such as <c>{game}</c> filled once per conversation.
/// </summary>
internal sealed record Beat(string[] Older, string[] Younger, bool YoungerFirst = false)
{
    public static Beat Say(string[] older, params string[] younger) => new(older, younger);

    public static Beat Ask(string[] younger, params string[] older) => new(older, younger, YoungerFirst: true);
}
