using System.Reflection;
using System.Text.Json;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Guardian;

/// <summary>
/// The fitted numbers of the guardian scorer (guardian-model.json, written by <c>bench/guardian-eval fit</c> on the dev
/// split only): how a message's cosine to a signal's exemplars becomes a 0–1 activation (<see cref="Low"/> → 0,
/// <see cref="High"/> → 1), the logistic weights over <see cref="GuardianSignals.All"/>, and the threshold chosen for the
/// assumed traffic and review capacity.
/// </summary>
public sealed record GuardianModel(
    double Low,
    double High,
    double Bias,
    IReadOnlyDictionary<string, double> Weights,
    double Threshold,
    string? FittedOn = null,
    string? Traffic = null)
{
    public const string ResourceName = "Chatroom.Analysis.Guardian.guardian-model.json";

    /// <summary>The model shipped in the assembly.</summary>
    public static GuardianModel Default { get; } = Load();

    /// <summary>The cosine-to-activation map, shared by every signal.</summary>
    public double Activation(double cosine) => Math.Clamp((cosine - Low) / (High - Low), 0, 1);

    /// <summary>The calibrated probability for a feature vector in <see cref="GuardianSignals.All"/> order.</summary>
    public double Combine(IReadOnlyList<double> features)
    {
        var z = Bias;
        for (var i = 0; i < GuardianSignals.All.Count; i++)
        {
            z += Weights.GetValueOrDefault(GuardianSignals.All[i]) * features[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    public static GuardianModel Parse(string json) =>
        JsonSerializer.Deserialize<GuardianModel>(json, ChatJson.Options) is { High: var high, Low: var low } model && high > low
            ? model
            : throw new InvalidDataException("guardian model: expected {low, high (> low), bias, weights, threshold}");

    private static GuardianModel Load()
    {
        using var stream = typeof(GuardianModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
