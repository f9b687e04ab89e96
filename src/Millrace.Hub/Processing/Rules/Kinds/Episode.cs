namespace Millrace.Hub.Processing.Rules;

/// <summary>Where an episode stands.</summary>
internal enum EpisodePhase : byte
{
    /// <summary>The value is within limits.</summary>
    None,
    /// <summary>Beyond a limit, not yet for long enough to raise.</summary>
    Candidate,
    /// <summary>Raised; lasts until the value is back beyond the clear limit.</summary>
    Raised,
}

/// <summary>What one sample did to an episode.</summary>
internal enum EpisodeStep : byte
{
    /// <summary>Nothing to report.</summary>
    None,
    /// <summary>The episode was raised by this sample.</summary>
    Raised,
    /// <summary>A raised episode ended with this sample.</summary>
    Cleared,
}

/// <summary>
/// One asset's episode of a threshold or rate-of-change rule: a plain struct in the rule's per-asset array.
/// Semantics: a sample beyond a limit (value &gt; Above, or &lt; Below) starts a candidate; each further sample beyond
/// the same limit counts; a sample not beyond it drops the candidate. The candidate is raised by the sample that makes
/// it last <c>Consecutive</c> samples and <c>MinDurationMs</c> of event time. A raised episode tracks its peak and ends
/// at the first sample at or inside the clear limit (ClearBelow for a high episode, ClearAbove for a low one).
/// </summary>
internal struct Episode
{
    public long StartMs;
    public long LastMs;
    public double Peak;
    public int Count;
    public EpisodePhase Phase;
    public sbyte Direction; // +1 above, -1 below

    public EpisodeStep Step(double value, long timeMs, ThresholdParameters p, out long clearedStartMs)
    {
        clearedStartMs = 0;
        if (double.IsNaN(value)) return EpisodeStep.None;
        if (Phase == EpisodePhase.Raised)
        {
            bool cleared = Direction > 0 ? value <= p.ClearBelow : value >= p.ClearAbove;
            if (!cleared)
            {
                if (Direction > 0 ? value > Peak : value < Peak) Peak = value;
                LastMs = timeMs;
                Count++;
                return EpisodeStep.None;
            }
            clearedStartMs = StartMs;
            LastMs = timeMs;
            Phase = EpisodePhase.None;
            // a value cleared from one side may already be beyond the other limit: start that candidate below
            Begin(value, timeMs, p);
            return EpisodeStep.Cleared;
        }
        int beyond = p.Above is { } above && value > above ? 1 : p.Below is { } below && value < below ? -1 : 0;
        if (beyond == 0)
        {
            Phase = EpisodePhase.None;
            return EpisodeStep.None;
        }
        if (Phase == EpisodePhase.Candidate && beyond == Direction)
        {
            Count++;
            LastMs = timeMs;
            if (beyond > 0 ? value > Peak : value < Peak) Peak = value;
        }
        else
        {
            Phase = EpisodePhase.None;
            Begin(value, timeMs, p);
        }
        if (Count >= p.Consecutive && timeMs - StartMs >= p.MinDurationMs)
        {
            Phase = EpisodePhase.Raised;
            return EpisodeStep.Raised;
        }
        return EpisodeStep.None;
    }

    private void Begin(double value, long timeMs, ThresholdParameters p)
    {
        int beyond = p.Above is { } above && value > above ? 1 : p.Below is { } below && value < below ? -1 : 0;
        if (beyond == 0) return;
        Phase = EpisodePhase.Candidate;
        Direction = (sbyte)beyond;
        StartMs = LastMs = timeMs;
        Peak = value;
        Count = 1;
    }

    public readonly void Write(BinaryWriter w)
    {
        w.Write(StartMs);
        w.Write(LastMs);
        w.Write(Peak);
        w.Write(Count);
        w.Write((byte)Phase);
        w.Write(Direction);
    }

    public static Episode Read(BinaryReader r)
    {
        var e = new Episode { StartMs = r.ReadInt64(), LastMs = r.ReadInt64(), Peak = r.ReadDouble(), Count = r.ReadInt32() };
        byte phase = r.ReadByte();
        if (phase > (byte)EpisodePhase.Raised) throw new InvalidDataException($"episode phase {phase} is not defined");
        e.Phase = (EpisodePhase)phase;
        e.Direction = r.ReadSByte();
        return e;
    }
}
