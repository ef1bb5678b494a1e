namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>
/// IBM Granite Guardian 3 (<c>granite3-guardian:2b</c>, <c>:8b</c>). Ollama's model card: the system prompt names the
/// risk to detect (default <c>harm</c>) and the model answers with one token, <c>Yes</c> or <c>No</c>; so one request per
/// risk. Risks map to our categories; <c>harm</c> (general harm) counts as harassment, and <c>jailbreak</c> and
/// <c>unethical_behavior</c>, which a chat room does not moderate, count towards the score but name no category.
/// </summary>
internal sealed class GraniteGuardianFormat(IReadOnlyList<string> risks) : SafetyFormat
{
    public static readonly IReadOnlyDictionary<string, string?> Risks = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["harm"] = SafetyCategories.Harassment,
        ["social_bias"] = SafetyCategories.Hate,
        ["profanity"] = SafetyCategories.Harassment,
        ["sexual_content"] = SafetyCategories.Sexual,
        ["violence"] = SafetyCategories.Violence,
        ["unethical_behavior"] = null,
        ["jailbreak"] = null,
    };

    private readonly IReadOnlyList<string> _risks = risks.Count > 0 && risks.All(Risks.ContainsKey)
        ? risks
        : throw new InvalidOperationException($"Chatroom:Moderation:Safety:GraniteRisks must name some of: {string.Join(", ", Risks.Keys)}.");

    public override string Name => GraniteGuardian;

    public override IReadOnlyList<SafetyQuestion> Questions(string text) =>
        _risks.Select(risk => new SafetyQuestion([new(Microsoft.Extensions.AI.ChatRole.System, risk), User(text)], risk, Risks[risk])).ToList();

    public override SafetyAnswer Parse(SafetyQuestion question, string answer, double? firstTokenProbability)
    {
        var p = YesProbability(answer, firstTokenProbability, "granite-guardian");
        // The category stands beside the score; SafetyAnswer.Combine keeps it only past the threshold.
        return new SafetyAnswer(p, question.Category is { } category ? [category] : []);
    }
}
