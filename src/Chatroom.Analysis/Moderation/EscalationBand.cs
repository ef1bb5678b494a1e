namespace Chatroom.Analysis.Moderation;

/// <summary>
/// A category's uncertain band: an embedded score in [<see cref="Low"/>, <see cref="High"/>) is neither clearly safe nor
/// clearly unsafe and goes up a tier. Low = High turns the band off.
/// </summary>
public sealed class EscalationBand
{
    public double Low { get; set; } = 0.3;

    public double High { get; set; } = 0.8;

    public bool Contains(double score) => score >= Low && score < High;
}
