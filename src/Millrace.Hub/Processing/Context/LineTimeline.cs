namespace Millrace.Hub.Processing.Context;

/// <summary>One period of a line's production context: from a time on, this order (or none) and this lot ran.</summary>
/// <param name="FromMs">Event time the period starts (Unix ms).</param>
/// <param name="Order">The order running, or null when the line has no order (closed, not yet released).</param>
/// <param name="LotId">The lot being produced, if the context event named one.</param>
internal sealed record LinePeriod(long FromMs, ActiveOrder? Order, string? LotId);

/// <summary>
/// The recent history of one line's (or storage location's) production context, oldest first: an immutable array
/// replaced as a whole, so a reader on any shard sees either the old or the new history, never a half-written one.
/// Bounded to <see cref="Capacity"/> periods: a sample older than the oldest kept period is attributed to it.
/// </summary>
internal sealed class LineTimeline
{
    /// <summary>Periods kept per line. Orders change every few minutes to hours; 32 covers far more than any lateness.</summary>
    public const int Capacity = 32;

    public static readonly LineTimeline Empty = new([]);

    private LineTimeline(LinePeriod[] periods) => Periods = periods;

    /// <summary>Periods, oldest first, by non-decreasing <see cref="LinePeriod.FromMs"/>.</summary>
    public LinePeriod[] Periods { get; }

    /// <summary>The period in effect at <paramref name="timeMs"/>, or null when the line had none yet.</summary>
    public LinePeriod? At(long timeMs)
    {
        var periods = Periods;
        // Few periods, newest most likely: scan from the end.
        for (int i = periods.Length - 1; i >= 0; i--)
            if (periods[i].FromMs <= timeMs) return periods[i];
        return null;
    }

    /// <summary>
    /// A new timeline with <paramref name="period"/> inserted in time order. A period at the same time as an existing
    /// one replaces it (a replayed or re-sent context event changes nothing). The oldest periods fall off past capacity.
    /// </summary>
    public LineTimeline With(LinePeriod period)
    {
        var list = new List<LinePeriod>(Periods.Length + 1);
        bool placed = false;
        foreach (var p in Periods)
        {
            if (!placed && p.FromMs == period.FromMs) { list.Add(period); placed = true; continue; }
            if (!placed && p.FromMs > period.FromMs) { list.Add(period); placed = true; }
            list.Add(p);
        }
        if (!placed) list.Add(period);
        if (list.Count > Capacity) list.RemoveRange(0, list.Count - Capacity);
        return new LineTimeline([.. list]);
    }
}
