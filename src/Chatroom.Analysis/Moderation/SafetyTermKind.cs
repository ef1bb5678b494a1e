namespace Chatroom.Analysis.Moderation;

/// <summary>Kinds of evidence in the safety lexicon; the classifier's rules combine them.</summary>
public enum SafetyTermKind : byte
{
    Profanity,
    Insult,
    Slur,
    Sexual,
    SelfHarm,
    Incite,
    ViolentVerb,
    Threat,
    GroomingAge,
    GroomingSecret,
    GroomingMeet,
    GroomingFlattery,
    GroomingMinor,
    Spam,
    Group,
    Dehumanize,
    Benign,
}
