using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>
/// One safety model's prompt and answer: the requests to send for a message (one, or one per risk or policy) and the
/// parser of each answer. A parser throws <see cref="InvalidDataException"/> for an answer outside the model's format.
/// </summary>
internal abstract class SafetyFormat
{
    public const string LlamaGuard3 = "llamaguard3";
    public const string GraniteGuardian = "granite-guardian";
    public const string ShieldGemma = "shieldgemma";

    /// <summary>Assumed probability of the model's own answer when the server returns no log-probabilities.</summary>
    public const double PlainAnswerProbability = 0.9;

    public abstract string Name { get; }

    /// <summary>The chat requests that judge <paramref name="text"/>; the results are combined by <see cref="SafetyAnswer.Combine"/>.</summary>
    public abstract IReadOnlyList<SafetyQuestion> Questions(string text);

    /// <param name="question">The request answered.</param>
    /// <param name="answer">The model's text.</param>
    /// <param name="firstTokenProbability">The probability the model gave its first token, when the server returned log-probabilities.</param>
    public abstract SafetyAnswer Parse(SafetyQuestion question, string answer, double? firstTokenProbability);

    /// <summary>The format <paramref name="configured"/> names, or the one <paramref name="model"/>'s name implies.</summary>
    public static SafetyFormat For(string? configured, string model, SafetyJudgeOptions options)
    {
        var name = string.IsNullOrWhiteSpace(configured) ? Infer(model) : configured.Trim().ToLowerInvariant();
        return name switch
        {
            LlamaGuard3 => new LlamaGuardFormat(),
            GraniteGuardian => new GraniteGuardianFormat(SafetyJudgeOptions.Split(options.GraniteRisks)),
            ShieldGemma => new ShieldGemmaFormat(SafetyJudgeOptions.Split(options.ShieldGemmaPolicies)),
            null => throw new InvalidOperationException(
                $"Cannot tell the safety model's format from its name '{model}'; set Chatroom:Moderation:Safety:Format to {LlamaGuard3}, {GraniteGuardian} or {ShieldGemma}."),
            _ => throw new InvalidOperationException(
                $"Unknown Chatroom:Moderation:Safety:Format '{configured}' (use {LlamaGuard3}, {GraniteGuardian} or {ShieldGemma})."),
        };
    }

    /// <summary>The format of a model known by name (<c>llama-guard3:1b</c>, <c>ibm/granite3-guardian:8b</c>, <c>shieldgemma:2b</c>), else null.</summary>
    public static string? Infer(string model)
    {
        var name = model.ToLowerInvariant();
        return name.Contains("llama-guard", StringComparison.Ordinal) || name.Contains("llamaguard", StringComparison.Ordinal) ? LlamaGuard3
            : name.Contains("granite", StringComparison.Ordinal) && name.Contains("guardian", StringComparison.Ordinal) ? GraniteGuardian
            : name.Contains("shieldgemma", StringComparison.Ordinal) ? ShieldGemma
            : null;
    }

    /// <summary>The answer's first word (letters only), for the Yes/No formats.</summary>
    protected static string FirstWord(string answer)
    {
        var text = answer.AsSpan().Trim();
        var end = 0;
        while (end < text.Length && char.IsLetter(text[end]))
        {
            end++;
        }

        return text[..end].ToString();
    }

    /// <summary>A Yes/No answer as p(violation): Yes is the violation; the first token's probability when known.</summary>
    protected static double YesProbability(string answer, double? firstTokenProbability, string model)
    {
        var word = FirstWord(answer);
        var p = firstTokenProbability ?? PlainAnswerProbability;
        return word.Equals("Yes", StringComparison.OrdinalIgnoreCase) ? p
            : word.Equals("No", StringComparison.OrdinalIgnoreCase) ? 1 - p
            : throw new InvalidDataException($"The {model} answer does not start with Yes or No.");
    }

    protected static ChatMessage User(string text) => new(ChatRole.User, text);
}
