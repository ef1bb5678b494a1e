namespace Chatroom.Guardian.Eval.Corpus;

/// <summary>
/// A generator family: one kind of conversation, its own wording, its split (a family is wholly dev or wholly test, so the
/// test set is never the dev set reworded). Conversations are the <see cref="Opening"/>, a few beats of <see cref="Middle"/>
/// kept in order (concerning families escalate), then the <see cref="Closing"/>.
/// </summary>
internal sealed record Family(
    string Name,
    string Split,
    int Label,
    int Count,
    (int Min, int Max) OlderAge,
    (int Min, int Max) YoungerAge,
    int[] Hours,
    Beat[] Opening,
    Beat[] Middle,
    (int Min, int Max) MiddleBeats,
    Beat[] Closing);
