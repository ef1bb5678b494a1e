namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>A safety model's answer to one request: p(unsafe) and, when unsafe, our categories it names.</summary>
internal sealed record SafetyAnswer(double UnsafeProbability, IReadOnlyList<string> Categories)
{
    /// <summary>Several answers about one message: the most confident violation decides the score; categories come from every answer past the threshold.</summary>
    public static SafetyAnswer Combine(IReadOnlyList<SafetyAnswer> answers, double threshold)
    {
        var categories = new List<string>();
        foreach (var answer in answers.Where(a => a.UnsafeProbability >= threshold))
        {
            categories.AddRange(answer.Categories.Where(c => !categories.Contains(c)));
        }

        return new SafetyAnswer(answers.Max(a => a.UnsafeProbability), SafetyCategories.All.Where(categories.Contains).ToList());
    }
}
