namespace Millrace.Hub.Processing.Rules;

/// <summary>The running aggregates of one window (or one pane of a sliding window).</summary>
internal struct WindowAccumulator
{
    public long Count;
    public double Sum, Min, Max, First, Last, Delta;
    public long FirstMs, LastMs;

    public void Add(double value, long timeMs, double increase)
    {
        if (Count == 0)
        {
            Min = Max = First = value;
            FirstMs = timeMs;
        }
        else
        {
            if (value < Min) Min = value;
            if (value > Max) Max = value;
        }
        Count++;
        Sum += value;
        Last = value;
        LastMs = timeMs;
        Delta += increase;
    }

    /// <summary>Adds a later pane's aggregates to this one.</summary>
    public void Merge(in WindowAccumulator later)
    {
        if (later.Count == 0) return;
        if (Count == 0)
        {
            this = later;
            return;
        }
        Count += later.Count;
        Sum += later.Sum;
        Min = Math.Min(Min, later.Min);
        Max = Math.Max(Max, later.Max);
        Last = later.Last;
        LastMs = later.LastMs;
        Delta += later.Delta;
    }

    public readonly void Write(BinaryWriter w)
    {
        w.Write(Count); w.Write(Sum); w.Write(Min); w.Write(Max); w.Write(First); w.Write(Last); w.Write(Delta); w.Write(FirstMs); w.Write(LastMs);
    }

    public static WindowAccumulator Read(BinaryReader r) => new()
    {
        Count = r.ReadInt64(), Sum = r.ReadDouble(), Min = r.ReadDouble(), Max = r.ReadDouble(), First = r.ReadDouble(),
        Last = r.ReadDouble(), Delta = r.ReadDouble(), FirstMs = r.ReadInt64(), LastMs = r.ReadInt64(),
    };
}
