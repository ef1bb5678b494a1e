namespace Chatroom.Core.Moderation;

/// <summary>
/// A moderation verdict as stored with its message (mood happy|neutral|sad, safety safe|unsafe). <see cref="Model"/> is the
/// model that decided when the LLM tier did; <see cref="Fallback"/> says why the embedded verdict stands when the LLM tier
/// was asked and gave no answer (llm_failed, circuit_open).
/// </summary>
public sealed record VerdictRecord(
    string Room,
    long MessageId,
    string AuthorId,
    string Mood,
    double MoodScore,
    string Safety,
    double UnsafeScore,
    IReadOnlyList<string> Categories,
    string Tier,
    double Confidence,
    DateTimeOffset At,
    string? Model = null,
    string? Fallback = null)
{
    public bool IsUnsafe => Safety == "unsafe";
}

/// <summary>Counts of one room over one span of time.</summary>
public sealed record VerdictCounts(
    long Total,
    long Happy,
    long Neutral,
    long Sad,
    long Safe,
    long Unsafe,
    IReadOnlyDictionary<string, long> UnsafeByCategory)
{
    public static VerdictCounts Empty { get; } = new(0, 0, 0, 0, 0, 0, new Dictionary<string, long>());

    public double UnsafeShare => Total == 0 ? 0 : (double)Unsafe / Total;

    public double SadShare => Total == 0 ? 0 : (double)Sad / Total;
}

/// <summary>A room's aggregates: all time and the rolling windows the trend alerts watch.</summary>
public sealed record RoomAggregates(string Room, VerdictCounts AllTime, VerdictCounts LastHour, VerdictCounts Last15Minutes);

/// <summary>Analysed messages in one minute (<see cref="Minute"/> is its start), by mood and safety, and the LLM tokens spent.</summary>
public sealed record MinuteCounts(DateTimeOffset Minute, long Messages, long Happy, long Neutral, long Sad, long Unsafe, long LlmTokens = 0);
