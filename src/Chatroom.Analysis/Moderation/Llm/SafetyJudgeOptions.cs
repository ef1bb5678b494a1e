using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>
/// The safety judge (configuration section <c>Chatroom:Moderation:Safety</c>): a safety classifier model that decides the
/// safety part of escalated verdicts. It runs when <c>ConnectionStrings:safety-model</c> is set, or when <see cref="Model"/>
/// is set and the analysis model's server can serve it.
/// </summary>
public sealed class SafetyJudgeOptions
{
    public const string SectionName = "Safety";

    /// <summary>Off: the safety model is not asked even when configured (the analysis model then decides safety, as before).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The model name (<c>llama-guard3:1b</c>, <c>llama-guard3:8b</c>, <c>granite3-guardian:2b</c>, <c>shieldgemma:2b</c>); overrides
    /// the connection string's. Without a <c>safety-model</c> connection string it is served by the analysis model's endpoint.
    /// </summary>
    public string? Model { get; set; }

    /// <summary><c>llamaguard3</c>, <c>granite-guardian</c> or <c>shieldgemma</c>; empty: inferred from the model name.</summary>
    public string? Format { get; set; }

    /// <summary>
    /// The granite-guardian risks asked about, comma-separated, one request each (harm, social_bias, profanity,
    /// sexual_content, unethical_behavior, violence, jailbreak). Four by default: every extra risk is one more model call
    /// per message. Strings, not lists, because the configuration binder appends to a list's defaults.
    /// </summary>
    public string GraniteRisks { get; set; } = "harm,social_bias,violence,sexual_content";

    /// <summary>The shieldgemma policies asked about, comma-separated, one request each, named by our category (harassment, hate, sexual, violence).</summary>
    public string ShieldGemmaPolicies { get; set; } = "harassment,hate,sexual,violence";

    internal static IReadOnlyList<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Probability of "unsafe" (or "Yes") from which the judge's answer counts as unsafe.</summary>
    [Range(0.05, 0.95)]
    public double Threshold { get; set; } = 0.5;

    /// <summary>Model calls in flight at once for one batch (Ollama's <c>OLLAMA_NUM_PARALLEL</c> is 4 in the chart).</summary>
    [Range(1, 32)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Guard models answer in a few tokens; the cap stops a model that rambles.</summary>
    [Range(1, 256)]
    public int MaxOutputTokens { get; set; } = 16;
}
