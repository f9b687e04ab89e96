namespace Millrace.Core.Config;

/// <summary>Counts of what a configuration describes; <see cref="ToString"/> is the one-line validation summary.</summary>
public sealed record ConfigSummary(int Plants, int Areas, int Lines, int Cells, int Assets, int Signals, int AssetClasses, int Sources)
{
    /// <summary>e.g. <c>8 plants, 40 lines, 560 assets, 2210 signals</c>.</summary>
    public override string ToString() =>
        $"{Count(Plants, "plant")}, {Count(Lines, "line")}, {Count(Assets, "asset")}, {Count(Signals, "signal")}";

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
