using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Chatroom.ServiceDefaults.Telemetry;

/// <summary>
/// Renders the SDK's metric stream in the Prometheus text format (0.0.4). Pull only: a scrape calls
/// <see cref="Scrape"/>, which collects and renders under one lock.
/// </summary>
[ExportModes(ExportModes.Pull)]
internal sealed class PrometheusTextExporter : BaseExporter<Metric>, IPullMetricExporter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _buffer = new(16 * 1024);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>Set by the reader: collects inside a pull scope, which is what lets a pull-only reader export.</summary>
    public Func<int, bool>? Collect { get; set; }

    public string Scrape()
    {
        lock (_gate)
        {
            _buffer.Clear();
            _written.Clear();
            Collect?.Invoke(5_000);
            return _buffer.ToString();
        }
    }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        foreach (var metric in batch)
        {
            Render(metric);
        }

        return ExportResult.Success;
    }

    private void Render(Metric metric)
    {
        var baseName = PrometheusNames.MetricName(metric.Name, metric.Unit);
        var (type, name) = metric.MetricType switch
        {
            MetricType.LongSum or MetricType.DoubleSum => ("counter", baseName + "_total"),
            MetricType.Histogram => ("histogram", baseName),
            MetricType.LongGauge or MetricType.DoubleGauge or MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic =>
                ("gauge", PrometheusNames.AvoidReservedSuffix(baseName)),
            _ => (null, baseName),
        };

        // One family per name: two meters publishing the same name would make an invalid exposition.
        if (type is null || !_written.Add(name))
        {
            return;
        }

        var help = string.IsNullOrWhiteSpace(metric.Description) ? metric.Name : metric.Description;
        _buffer.Append("# HELP ").Append(name).Append(' ').Append(PrometheusNames.EscapeHelp(help)).Append('\n');
        _buffer.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = PrometheusNames.Labels(point.Tags);
            switch (metric.MetricType)
            {
                case MetricType.LongSum:
                case MetricType.LongSumNonMonotonic:
                    Sample(name, labels, null, point.GetSumLong());
                    break;
                case MetricType.DoubleSum:
                case MetricType.DoubleSumNonMonotonic:
                    Sample(name, labels, null, point.GetSumDouble());
                    break;
                case MetricType.LongGauge:
                    Sample(name, labels, null, point.GetGaugeLastValueLong());
                    break;
                case MetricType.DoubleGauge:
                    Sample(name, labels, null, point.GetGaugeLastValueDouble());
                    break;
                case MetricType.Histogram:
                    long cumulative = 0;
                    foreach (var bucket in point.GetHistogramBuckets())
                    {
                        cumulative += bucket.BucketCount;
                        var le = double.IsPositiveInfinity(bucket.ExplicitBound) ? "+Inf" : Format(bucket.ExplicitBound);
                        Sample(name + "_bucket", labels, le, cumulative);
                    }

                    Sample(name + "_sum", labels, null, point.GetHistogramSum());
                    Sample(name + "_count", labels, null, point.GetHistogramCount());
                    break;
            }
        }
    }

    private void Sample(string name, string labels, string? le, double value)
    {
        _buffer.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            _buffer.Append('{').Append(labels);
            if (le is not null)
            {
                _buffer.Append(labels.Length > 0 ? "," : string.Empty).Append("le=\"").Append(le).Append('"');
            }

            _buffer.Append('}');
        }

        _buffer.Append(' ').Append(Format(value)).Append('\n');
    }

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
