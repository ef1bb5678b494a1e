using System.ComponentModel.DataAnnotations;

namespace Chatroom.Core.Moderation;

/// <summary><c>Chatroom:Trends</c>: when a room's last 15 minutes count as turning bad.</summary>
public sealed class TrendPolicy
{
    public const string Section = "Chatroom:Trends";
    public const string UnsafeRising = "unsafe_share_rising";
    public const string MoodTurning = "mood_turning";

    /// <summary>The rolling window the shares are taken over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>An alert when the unsafe share of the window reaches this.</summary>
    [Range(0.01, 1)]
    public double UnsafeShare { get; set; } = 0.2;

    /// <summary>An alert when the sad share of the window reaches this.</summary>
    [Range(0.01, 1)]
    public double SadShare { get; set; } = 0.5;

    /// <summary>Messages the window needs before a share can raise an alert.</summary>
    [Range(1, 100_000)]
    public int MinMessages { get; set; } = 10;

    /// <summary>The alerts the window raises, with the share behind each.</summary>
    public IReadOnlyList<(string Alert, double Share)> Evaluate(VerdictCounts window)
    {
        if (window.Total < MinMessages)
        {
            return [];
        }

        var alerts = new List<(string, double)>(2);
        if (window.UnsafeShare >= UnsafeShare)
        {
            alerts.Add((UnsafeRising, window.UnsafeShare));
        }

        if (window.SadShare >= SadShare)
        {
            alerts.Add((MoodTurning, window.SadShare));
        }

        return alerts;
    }
}
