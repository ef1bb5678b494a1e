namespace Chatroom.Analysis.Guardian;

/// <summary>A person in a scored conversation; <see cref="Age"/> is null when not known (treated as an adult).</summary>
public sealed record GuardianParticipant(string Id, int? Age);

/// <summary>One message of a scored conversation.</summary>
public sealed record GuardianLine(string From, string Text, DateTimeOffset? SentAt);

/// <summary>
/// A window of one private conversation: who is in it and what they wrote, oldest first. <see cref="FirstContact"/> says
/// whether the window starts at the conversation's first message (null: judge from the transcript, i.e. assume it does).
/// </summary>
public sealed record GuardianTranscript(IReadOnlyList<GuardianParticipant> Participants, IReadOnlyList<GuardianLine> Messages, bool? FirstContact = null);
