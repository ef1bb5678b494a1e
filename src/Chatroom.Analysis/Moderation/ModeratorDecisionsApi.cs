using System.Globalization;
using System.Text;
using System.Text.Json;
using Chatroom.Analysis.Moderation.Normalization;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.Core.Moderation;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// <c>GET /api/analysis/moderation/decisions?since=&amp;format=tsv|jsonl&amp;limit=</c> (admin): resolved review-queue flags
/// as labelled rows (<see cref="ModeratorDecisions"/>), oldest first, for retraining the embedded tier. TSV is the
/// trainer's <c>label&lt;TAB&gt;text</c> format; JSONL rows are the project's labelled-message shape
/// (<c>text, safety, categories</c>, as bench/moderation-eval reads) with the flag's id, decision and time. Every export is audited.
/// </summary>
public static class ModeratorDecisionsApi
{
    public const string AuditAction = "export_decisions";

    /// <summary>Most flags read per resolved state.</summary>
    public const int MaxLimit = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapModeratorDecisionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/analysis/moderation").WithTags("Analysis").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapGet("/decisions", Export).WithName("ExportModeratorDecisions")
            .WithSummary("Resolved review-queue flags as labelled training rows (?since=ISO time, format=tsv|jsonl, limit=1-10000 per state), audited.");
        return group;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Export(
        DateTimeOffset? since, string? format, int? limit, HttpContext context, IModerationStore store, ModerationActions actions,
        ModerationLexicon lexicon, CancellationToken ct)
    {
        if (format is not (null or "tsv" or "jsonl"))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "format is tsv or jsonl");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"limit is 1-{MaxLimit}");
        }

        var flags = new List<FlagRecord>();
        foreach (var state in ModeratorDecisions.ResolvedStates)
        {
            flags.AddRange((await store.ListFlagsAsync(null, state, limit ?? 5_000, ct)).Where(f => since is null || f.CreatedAt >= since));
        }

        flags.Sort((a, b) => a.Id.CompareTo(b.Id));
        var normalizer = new TextNormalizer(lexicon);
        var body = new StringBuilder();
        var rows = 0;
        if (format == "jsonl")
        {
            foreach (var flag in flags)
            {
                var text = ModeratorDecisions.ExportText(normalizer.Normalize(flag.Text));
                if (text.Length == 0)
                {
                    continue;
                }

                var safety = ModeratorDecisions.Safety(flag);
                body.Append(JsonSerializer.Serialize(new
                {
                    text,
                    safety,
                    categories = safety == SafetyLabels.Safe ? [] : flag.Categories,
                    decision = flag.State,
                    flagId = flag.Id,
                    createdAt = flag.CreatedAt,
                }, Json)).Append('\n');
                rows++;
            }
        }
        else
        {
            body.Append("label\ttext\n");
            foreach (var (label, text) in flags.SelectMany(f => ModeratorDecisions.Rows(f, normalizer)))
            {
                body.Append(label).Append('\t').Append(text).Append('\n');
                rows++;
            }
        }

        // Exports carry message texts out of the service: who took them, and how many, is on the record.
        var actor = context.User.FindFirst(ChatClaims.UserName)?.Value is { Length: > 0 } userName ? userName : context.User.ToChatIdentity()!.Name;
        await actions.AuditAsync(actor, AuditAction, null, null, null, string.Create(CultureInfo.InvariantCulture, $"{rows} rows from {flags.Count} resolved flags"),
            string.Create(CultureInfo.InvariantCulture, $"format={format ?? "tsv"} since={since?.ToString("O", CultureInfo.InvariantCulture) ?? "-"}"), ct);
        return TypedResults.Text(body.ToString(), format == "jsonl" ? "application/x-ndjson; charset=utf-8" : "text/tab-separated-values; charset=utf-8");
    }
}
