using System.Globalization;

namespace Millrace.Core.Expressions;

/// <summary>
/// The operations compiled expressions call that are not a single IL instruction. None of them throws and none
/// allocates except where text is produced; missing inputs give missing results (NaN, null) or false.
/// </summary>
internal static class ExpressionRuntime
{
    // Ordering operation codes passed as constants to the Order* helpers.
    public const int Less = 0, LessEqual = 1, Greater = 2, GreaterEqual = 3;

    private static bool Test(int comparison, int op) => op switch
    {
        Less => comparison < 0,
        LessEqual => comparison <= 0,
        Greater => comparison > 0,
        _ => comparison >= 0,
    };

    /// <summary>Division by zero has no value: NaN (which compares false and propagates like a missing number).</summary>
    public static double Divide(double a, double b) => b == 0 ? double.NaN : a / b;

    /// <summary>Number equality where two missing values (NaN) are equal, as null == null.</summary>
    public static bool NumberEquals(double a, double b) => a == b || (double.IsNaN(a) && double.IsNaN(b));

    public static string? Concat(string? a, string? b) => a is null || b is null ? null : string.Concat(a, b);

    public static bool StringEquals(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    public static bool OrderStrings(string? a, string? b, int op) => a is not null && b is not null && Test(string.CompareOrdinal(a, b), op);

    public static bool OrderTimestamps(DateTimeOffset? a, DateTimeOffset? b, int op) => a.HasValue && b.HasValue && Test(a.Value.CompareTo(b.Value), op);

    public static bool OrderDurations(TimeSpan? a, TimeSpan? b, int op) => a.HasValue && b.HasValue && Test(a.Value.CompareTo(b.Value), op);

    public static bool TimestampEquals(DateTimeOffset? a, DateTimeOffset? b) => a.HasValue ? b.HasValue && a.Value.Equals(b.Value) : !b.HasValue;

    public static bool DurationEquals(TimeSpan? a, TimeSpan? b) => a.HasValue ? b.HasValue && a.Value == b.Value : !b.HasValue;

    public static TimeSpan? Elapsed(DateTimeOffset? a, DateTimeOffset? b) => a.HasValue && b.HasValue ? a.Value - b.Value : null;

    public static DateTimeOffset? Shift(DateTimeOffset? t, TimeSpan? d, int sign)
    {
        if (!t.HasValue || !d.HasValue) return null;
        // Range check in UTC ticks so the result is representable whatever the offset (no exception path).
        var min = DateTimeOffset.MinValue.UtcTicks + Math.Abs(t.Value.Offset.Ticks);
        var max = DateTimeOffset.MaxValue.UtcTicks - Math.Abs(t.Value.Offset.Ticks);
        var delta = sign < 0 ? -(decimal)d.Value.Ticks : d.Value.Ticks;
        var target = t.Value.UtcTicks + delta;
        if (target < min || target > max) return null;
        return t.Value.AddTicks((long)delta);
    }

    public static TimeSpan? AddDurations(TimeSpan? a, TimeSpan? b, int sign)
    {
        if (!a.HasValue || !b.HasValue) return null;
        var sum = a.Value.Ticks + (sign < 0 ? -(decimal)b.Value.Ticks : b.Value.Ticks);
        return sum < TimeSpan.MinValue.Ticks || sum > TimeSpan.MaxValue.Ticks ? null : TimeSpan.FromTicks((long)sum);
    }

    public static TimeSpan? NegateDuration(TimeSpan? d) => d.HasValue && d.Value != TimeSpan.MinValue ? -d.Value : null;

    public static TimeSpan? ScaleDuration(TimeSpan? d, double factor) => d.HasValue ? FromTicks(d.Value.Ticks * factor) : null;

    public static TimeSpan? DivideDuration(TimeSpan? d, double divisor) => d.HasValue && divisor != 0 ? FromTicks(d.Value.Ticks / divisor) : null;

    public static double DurationRatio(TimeSpan? a, TimeSpan? b) =>
        a.HasValue && b.HasValue && b.Value.Ticks != 0 ? (double)a.Value.Ticks / b.Value.Ticks : double.NaN;

    /// <summary>A duration from fractional ticks, or missing when NaN or beyond TimeSpan's range.</summary>
    public static TimeSpan? FromTicks(double ticks) =>
        double.IsNaN(ticks) || Math.Abs(ticks) >= 9.2e18 ? null : TimeSpan.FromTicks((long)Math.Round(ticks));

    public static double Round(double x) => Math.Round(x, MidpointRounding.AwayFromZero);

    /// <summary>Rounds half away from zero to <paramref name="digits"/> decimals (-15..15; negative rounds to tens, hundreds…).</summary>
    public static double Round(double x, double digits)
    {
        if (double.IsNaN(digits) || double.IsNaN(x)) return double.NaN;
        var d = (int)Math.Clamp(Math.Round(digits), -15, 15);
        if (d >= 0) return Math.Round(x, d, MidpointRounding.AwayFromZero);
        var scale = Math.Pow(10, -d);
        return Math.Round(x / scale, MidpointRounding.AwayFromZero) * scale;
    }

    /// <summary>x limited to [lo, hi]; NaN when any input is missing or lo &gt; hi.</summary>
    public static double Clamp(double x, double lo, double hi) =>
        double.IsNaN(x) || double.IsNaN(lo) || double.IsNaN(hi) || lo > hi ? double.NaN : Math.Min(Math.Max(x, lo), hi);

    public static double Length(string? s) => s is null ? double.NaN : s.Length;

    public static string? Lower(string? s) => s?.ToLowerInvariant();

    public static string? Upper(string? s) => s?.ToUpperInvariant();

    public static bool Contains(string? s, string? part) => s is not null && part is not null && s.Contains(part, StringComparison.Ordinal);

    public static bool StartsWith(string? s, string? part) => s is not null && part is not null && s.StartsWith(part, StringComparison.Ordinal);

    public static bool EndsWith(string? s, string? part) => s is not null && part is not null && s.EndsWith(part, StringComparison.Ordinal);

    public static double CoalesceNumber(double a, double b) => double.IsNaN(a) ? b : a;

    public static double DurationSeconds(TimeSpan? d) => d.HasValue ? d.Value.TotalSeconds : double.NaN;

    public static double ToNumber(string? s) =>
        s is not null && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    /// <summary>An RFC 3339 / ISO 8601 timestamp with an offset (or Z), else missing.</summary>
    public static DateTimeOffset? ParseTimestamp(string? s) =>
        s is not null && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static double ToNumber(bool b) => b ? 1 : 0;

    /// <summary>Seconds since the Unix epoch.</summary>
    public static double ToNumber(DateTimeOffset? t) =>
        t.HasValue ? (t.Value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond : double.NaN;

    public static string? ToText(double x) => double.IsNaN(x) ? null : x.ToString(CultureInfo.InvariantCulture);

    public static string ToText(bool b) => b ? "true" : "false";

    public static string? ToText(DateTimeOffset? t) => t?.ToString("O", CultureInfo.InvariantCulture);

    public static string? ToText(TimeSpan? d) => d?.ToString("c", CultureInfo.InvariantCulture);

    public static object? BoxNumber(double x) => double.IsNaN(x) ? null : x;
}
