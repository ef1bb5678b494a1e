using System.Globalization;
using System.Text;
using Chatroom.Analysis.Agents;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Guardian;

/// <summary>
/// Writes a case's summary for the moderator: with a reasoning (or analysis) model configured, the model's few sentences
/// from the signals and evidence lines; without one, or when the model fails, an extractive summary from the same facts.
/// </summary>
public sealed partial class GuardianCaseSummarizer(AgentModelClients models, ILogger<GuardianCaseSummarizer> logger)
{
    private const int MaxSummaryLength = 1200;
    private static readonly TimeSpan ModelTimeout = TimeSpan.FromSeconds(60);

    private const string Instructions = """
        You help child-safety moderators triage. Summarise in at most three plain sentences why this private conversation
        between an adult and a minor may be grooming, citing the signals and quoting at most two evidence lines. Do not
        speculate beyond the lines given, and do not add advice.
        """;

    public async Task<string> SummarizeAsync(GuardianScore score, IReadOnlyList<string> evidenceLines, int? adultAge, int minorAge, CancellationToken cancellationToken)
    {
        var extractive = Extractive(score, evidenceLines, adultAge, minorAge);
        if (models.For(Core.Agents.AgentModels.Reasoning) is not { } client)
        {
            return extractive;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ModelTimeout);
            var response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, extractive + "\n\nEvidence lines:\n" + string.Join("\n", evidenceLines))],
                new ChatOptions { Temperature = 0 }, timeout.Token).ConfigureAwait(false);
            var text = response.Text.Trim();
            return text.Length == 0 ? extractive : text.Length > MaxSummaryLength ? text[..MaxSummaryLength] : text;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogModelFailed(logger, e);
            return extractive;
        }
    }

    /// <summary>The facts in one paragraph: who, the score, the strongest signals with a line each.</summary>
    public static string Extractive(GuardianScore score, IReadOnlyList<string> evidenceLines, int? adultAge, int minorAge)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"Score {score.Score:0.00} in a private conversation between {(adultAge is { } a ? $"a {a}-year-old" : "an adult")} and a {minorAge}-year-old. ");
        var signals = score.Signals.Where(s => GuardianSignals.IsMessageSignal(s.Name)).Take(4).ToList();
        if (signals.Count > 0)
        {
            text.Append("Signals: ").AppendJoin("; ", signals.Select(s => s.Evidence.Count > 0
                ? string.Create(inv, $"{s.Name.Replace('_', ' ')} {s.Score:0.00} (\"{s.Evidence[0]}\")")
                : string.Create(inv, $"{s.Name.Replace('_', ' ')} {s.Score:0.00}"))).Append(". ");
        }

        if (score.Signals.Any(s => s.Name == GuardianSignals.FirstContact))
        {
            text.Append("The adult made first contact. ");
        }

        text.Append(inv, $"{evidenceLines.Count} evidence line(s).");
        return text.ToString();
    }

    [LoggerMessage(EventId = 5801, Level = LogLevel.Warning, Message = "The model could not summarise a guardian case; the extractive summary is used")]
    private static partial void LogModelFailed(ILogger logger, Exception exception);
}
