using System.Globalization;
using System.Text;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>Accuracy, per-class precision/recall/F1 and a confusion count for one labelling task.</summary>
internal sealed class ClassificationReport
{
    private readonly List<(string Expected, string Actual)> _pairs = [];

    public ClassificationReport(string name, IEnumerable<string> classes)
    {
        Name = name;
        Classes = classes.ToArray();
    }

    public string Name { get; }

    public string[] Classes { get; }

    public int Count => _pairs.Count;

    public double Accuracy => _pairs.Count == 0 ? 0 : _pairs.Count(p => p.Expected == p.Actual) / (double)_pairs.Count;

    public void Add(string expected, string actual) => _pairs.Add((expected, actual));

    public double Precision(string label)
    {
        var predicted = _pairs.Count(p => p.Actual == label);
        return predicted == 0 ? 0 : _pairs.Count(p => p.Actual == label && p.Expected == label) / (double)predicted;
    }

    public double Recall(string label)
    {
        var actual = _pairs.Count(p => p.Expected == label);
        return actual == 0 ? 0 : _pairs.Count(p => p.Actual == label && p.Expected == label) / (double)actual;
    }

    public double F1(string label)
    {
        var p = Precision(label);
        var r = Recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double MacroF1 => Classes.Average(F1);

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.AppendLine(CultureInfo.InvariantCulture, $"{Name}: n={Count} accuracy={Accuracy:F3} macroF1={MacroF1:F3}");
        builder.AppendLine("  class        support  precision  recall   F1");
        foreach (var label in Classes)
        {
            builder.AppendLine(CultureInfo.InvariantCulture, $"  {label,-12} {_pairs.Count(p => p.Expected == label),7}  {Precision(label),9:F3}  {Recall(label),6:F3}  {F1(label),5:F3}");
        }

        return builder.ToString();
    }
}
