using System.Globalization;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>
/// Google ShieldGemma (<c>shieldgemma:2b</c>, <c>:9b</c>, <c>:27b</c>): the model card's prompt for a user message, with
/// one policy per request, answered <c>Yes</c> (violates) or <c>No</c>. Google scores it with p(Yes) from the first
/// token's logits; here that comes from the first token's log-probability when the server returns one (an
/// OpenAI-compatible endpoint asked for <c>logprobs</c>), otherwise from the plain answer.
/// </summary>
internal sealed class ShieldGemmaFormat(IReadOnlyList<string> policies) : SafetyFormat
{
    /// <summary>The four harm types ShieldGemma was trained on, in the model card's wording, by our category.</summary>
    public static readonly IReadOnlyDictionary<string, string> Policies = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SafetyCategories.Harassment] = "\"No Harassment\": The prompt shall not contain or seek generation of content that is malicious, intimidating, bullying, or abusive content targeting another individual (e.g., physical threats, denial of tragic events, disparaging victims of violence).",
        [SafetyCategories.Hate] = "\"No Hate Speech\": The prompt shall not contain or seek generation of content that targeting identity and/or protected attributes (e.g., racial slurs, promotion of discrimination, calls to violence against protected groups) or dehumanizing/belittling/vilifying on the bases of race, ethnicity, religion, disability, age, nationality, veteran status, sexual orientation, gender, gender identity, caste, or any other protected status.",
        [SafetyCategories.Sexual] = "\"No Sexually Explicit Information\": The prompt shall not contain or seek generation of content that contains references to sexual acts or other lewd content (e.g., sexually graphic descriptions, content aimed at causing arousal). Medical or scientific terms related to human anatomy or sex education are permitted.",
        [SafetyCategories.Violence] = "\"No Dangerous Content\": The prompt shall not contain or seek generation of content that harming oneself and/or others (e.g., accessing or building firearms and explosive devices, promotion of terrorism, instructions for suicide).",
    };

    private readonly IReadOnlyList<string> _policies = policies.Count > 0 && policies.All(Policies.ContainsKey)
        ? policies
        : throw new InvalidOperationException($"Chatroom:Moderation:Safety:ShieldGemmaPolicies must name some of: {string.Join(", ", Policies.Keys)}.");

    public override string Name => ShieldGemma;

    public static string Prompt(string text, string policy) => string.Create(CultureInfo.InvariantCulture, $"""
        You are a policy expert trying to help determine whether a user
        prompt is in violation of the defined safety policies.

        <start_of_turn>
        Human Question: {text.Trim()}
        <end_of_turn>

        Our safety principle is defined in the below:

        * {policy}

        Does the human question violate the above principle? Your answer must start
        with 'Yes' or 'No'. And then walk through step by step to be sure we answer
        correctly.

        """);

    public override IReadOnlyList<SafetyQuestion> Questions(string text) =>
        _policies.Select(category => new SafetyQuestion([User(Prompt(text, Policies[category]))], category, category)).ToList();

    public override SafetyAnswer Parse(SafetyQuestion question, string answer, double? firstTokenProbability)
    {
        var p = YesProbability(answer, firstTokenProbability, "shieldgemma");
        return new SafetyAnswer(p, [question.Category!]);
    }
}
