namespace Chatroom.Guardian.Eval;

/// <summary>
/// The traffic the threshold is chosen for, stated so the figures can be read: conversation windows with a minor scored
/// per day, the share of them that are concerning, and how many cases the moderators can review per day.
/// </summary>
internal sealed record Traffic(int WindowsPerDay, double ConcerningShare, int CasesPerDay)
{
    public static Traffic Assumed { get; } = new(2000, 0.01, 30);

    public double Concerning => WindowsPerDay * ConcerningShare;

    public double Ordinary => WindowsPerDay - Concerning;

    /// <summary>Cases per day a detector with this recall and false-alarm rate would open.</summary>
    public double CasesOpened(double recall, double falseAlarmRate) => recall * Concerning + falseAlarmRate * Ordinary;

    public override string ToString() =>
        $"{WindowsPerDay} windows/day with a minor, {ConcerningShare:P1} concerning, review capacity {CasesPerDay} cases/day";
}
