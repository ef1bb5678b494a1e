namespace Chatroom.Analysis.Moderation;

/// <summary>
/// Which embedded verdicts go up a tier (configuration section <c>Chatroom:Moderation:Escalation</c>), on top of the
/// confidence thresholds of <see cref="ModerationOptions"/>: a category score inside its uncertain band, and severe
/// categories whatever the confidence.
/// </summary>
public sealed class EscalationOptions
{
    private ParsedList? _severe;

    /// <summary>
    /// Categories whose every sighting is checked by the tier above, comma-separated (empty: none): a wrong call there
    /// costs most. A string rather than a list because the configuration binder appends to a list's defaults.
    /// </summary>
    public string SevereCategories { get; set; } = "self-harm,minors,violence";

    /// <summary>Embedded score (0–1) of a severe category from which it counts as sighted (it need not be past the unsafe threshold).</summary>
    public double SevereFloor { get; set; } = 0.25;

    /// <summary>The uncertain band of every category without its own entry in <see cref="Bands"/>: scores in [low, high) go up.</summary>
    public EscalationBand Band { get; set; } = new();

    /// <summary>Per-category uncertain bands (key: the category), e.g. a wider band for hate.</summary>
    public Dictionary<string, EscalationBand> Bands { get; set; } = new(StringComparer.Ordinal);

    public EscalationBand BandFor(string category) => Bands.TryGetValue(category, out var band) ? band : Band;

    public bool IsSevere(string category) => Severe().Contains(category);

    /// <summary>The parsed list, kept while <see cref="SevereCategories"/> is unchanged: the cascade asks for every message.</summary>
    private HashSet<string> Severe()
    {
        var source = SevereCategories;
        if (_severe is { } parsed && ReferenceEquals(parsed.Source, source))
        {
            return parsed.Set;
        }

        var set = source.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        _severe = new ParsedList(source, set);
        return set;
    }

    private sealed record ParsedList(string Source, HashSet<string> Set);

    /// <summary>Errors in the configured categories and bands, for start-up validation.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var category in Severe().Concat(Bands.Keys).Where(c => !SafetyCategories.IsKnown(c)))
        {
            yield return $"Chatroom:Moderation:Escalation names an unknown category '{category}' (known: {string.Join(", ", SafetyCategories.All)}).";
        }

        if (SevereFloor is < 0 or > 1)
        {
            yield return $"Chatroom:Moderation:Escalation:SevereFloor must be between 0 and 1 (was {SevereFloor}).";
        }

        foreach (var (name, band) in Bands.Select(b => (b.Key, b.Value)).Prepend(("(default)", Band)))
        {
            if (band.Low is < 0 or > 1 || band.High is < 0 or > 1 || band.Low > band.High)
            {
                yield return $"Chatroom:Moderation:Escalation band {name} must have 0 ≤ Low ≤ High ≤ 1 (was {band.Low}..{band.High}).";
            }
        }
    }
}
