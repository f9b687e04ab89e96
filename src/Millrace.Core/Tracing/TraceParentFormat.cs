using System.Diagnostics;

namespace Millrace.Core;

/// <summary>W3C Trace Context <c>traceparent</c> values, version 00.</summary>
public static class TraceParentFormat
{
    /// <summary>True for <c>00-&lt;32 hex&gt;-&lt;16 hex&gt;-&lt;2 hex&gt;</c> with non-zero trace and parent ids.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.Length != 55 || value[2] != '-' || value[35] != '-' || value[52] != '-') return false;
        if (!IsLowerHex(value[..2]) || value[..2].SequenceEqual("ff")) return false;
        var trace = value.Slice(3, 32);
        var parent = value.Slice(36, 16);
        return IsLowerHex(trace) && IsLowerHex(parent) && IsLowerHex(value.Slice(53, 2)) &&
               trace.ContainsAnyExcept('0') && parent.ContainsAnyExcept('0');
    }

    /// <summary>The <c>traceparent</c> of <paramref name="activity"/>, or null when there is none.</summary>
    public static string? From(Activity? activity) =>
        activity is null || activity.IdFormat != ActivityIdFormat.W3C ? null : activity.Id;

    /// <summary>Parses a valid <c>traceparent</c> into a context to parent new activities on.</summary>
    public static bool TryParse(string? value, out ActivityContext context)
    {
        context = default;
        return value is not null && IsValid(value) && ActivityContext.TryParse(value, null, out context);
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        return true;
    }
}
