namespace Chatroom.Moderation.Eval;

/// <summary>What one evaluation run measured; NaN where the file labels nothing of that kind; tokens as the models reported them (0 without a model).</summary>
public sealed record EvalReport(
    int Messages,
    double MoodAccuracy,
    double MoodMacroRecall,
    double MoodMacroF1,
    double SafetyAccuracy,
    double SafetyMacroF1,
    double UnsafeAuprc,
    double HateMacroF1,
    double EscalatedShare,
    double LatencyP50Ms,
    double LatencyP99Ms,
    long PromptTokens = 0,
    long CompletionTokens = 0);
