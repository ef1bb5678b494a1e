namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>
/// Llama Guard 3 (<c>llama-guard3:1b</c>, <c>:8b</c>). Ollama's template for the model writes Meta's prompt (the task,
/// the S1–S14 categories, the conversation, the answer instructions) around the messages, so the request is the chat
/// message alone as a user turn. The answer is <c>safe</c>, or <c>unsafe</c> and on the next line the violated hazard
/// codes separated by commas (<c>unsafe\nS1,S10</c>).
/// </summary>
internal sealed class LlamaGuardFormat : SafetyFormat
{
    /// <summary>
    /// The MLCommons hazards Llama Guard 3 names, mapped to ours; null where a chat room has nothing to moderate
    /// (specialized advice, intellectual property, elections, code interpreter abuse).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Hazards = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["S1"] = SafetyCategories.Violence, // violent crimes
        ["S2"] = SafetyCategories.Spam, // non-violent crimes: in chat, scams and fraud
        ["S3"] = SafetyCategories.Sexual, // sex-related crimes
        ["S4"] = SafetyCategories.Minors, // child sexual exploitation
        ["S5"] = SafetyCategories.Harassment, // defamation
        ["S6"] = null, // specialized advice
        ["S7"] = SafetyCategories.Harassment, // privacy: in chat, doxxing someone
        ["S8"] = null, // intellectual property
        ["S9"] = SafetyCategories.Violence, // indiscriminate weapons
        ["S10"] = SafetyCategories.Hate, // hate
        ["S11"] = SafetyCategories.SelfHarm, // suicide and self-harm
        ["S12"] = SafetyCategories.Sexual, // sexual content
        ["S13"] = null, // elections
        ["S14"] = null, // code interpreter abuse
    };

    public override string Name => LlamaGuard3;

    public override IReadOnlyList<SafetyQuestion> Questions(string text) => [new SafetyQuestion([User(text)], null, null)];

    public override SafetyAnswer Parse(SafetyQuestion question, string answer, double? firstTokenProbability)
    {
        var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var p = firstTokenProbability ?? PlainAnswerProbability;
        if (lines.Length == 0)
        {
            throw new InvalidDataException("The llama-guard answer is empty.");
        }

        if (lines[0].Equals("safe", StringComparison.OrdinalIgnoreCase))
        {
            return new SafetyAnswer(1 - p, []);
        }

        if (!lines[0].Equals("unsafe", StringComparison.OrdinalIgnoreCase) || lines.Length < 2)
        {
            throw new InvalidDataException("The llama-guard answer is neither 'safe' nor 'unsafe' followed by hazard codes.");
        }

        var categories = new List<string>();
        foreach (var code in lines[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Hazards.TryGetValue(code, out var category))
            {
                throw new InvalidDataException($"The llama-guard answer names an unknown hazard '{code}'.");
            }

            if (category is not null && !categories.Contains(category))
            {
                categories.Add(category);
            }
        }

        // Only hazards a chat room does not moderate: safe here, whatever the model's confidence.
        return categories.Count == 0 ? new SafetyAnswer(1 - PlainAnswerProbability, []) : new SafetyAnswer(p, categories);
    }
}
