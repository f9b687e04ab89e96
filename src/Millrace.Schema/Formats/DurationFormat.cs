namespace Millrace.Schema.Formats;

/// <summary>
/// RFC 3339 appendix A duration: P followed by weeks alone, or date units (Y M D, each a contiguous run from its
/// start) optionally followed by T and time units (H M S, likewise contiguous). Integers only.
/// </summary>
internal static class DurationFormat
{
    public static bool IsDuration(ReadOnlySpan<char> s)
    {
        if (s.Length < 3 || s[0] != 'P') return false;
        int i = 1;
        if (!ReadComponent(s, ref i, out char unit)) return s.Length > 1 && s[1] == 'T' && ReadTime(s, 2);
        if (unit == 'W') return i == s.Length;
        // Date part: a contiguous run of Y, M, D starting at any of them.
        const string dateUnits = "YMD";
        int pos = dateUnits.IndexOf(unit);
        if (pos < 0) return false;
        while (i < s.Length && s[i] != 'T')
        {
            if (!ReadComponent(s, ref i, out unit)) return false;
            int next = dateUnits.IndexOf(unit);
            if (next != pos + 1) return false;
            pos = next;
        }
        if (i == s.Length) return true;
        return ReadTime(s, i + 1);
    }

    private static bool ReadTime(ReadOnlySpan<char> s, int i)
    {
        if (i >= s.Length) return false;
        const string timeUnits = "HMS";
        int pos = -1;
        while (i < s.Length)
        {
            if (!ReadComponent(s, ref i, out char unit)) return false;
            int next = timeUnits.IndexOf(unit);
            if (next < 0 || (pos >= 0 && next != pos + 1)) return false;
            pos = next;
        }
        return true;
    }

    /// <summary>Reads 1*DIGIT followed by a unit letter.</summary>
    private static bool ReadComponent(ReadOnlySpan<char> s, ref int i, out char unit)
    {
        unit = '\0';
        int start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == start || i >= s.Length) { i = start; return false; }
        unit = s[i++];
        return true;
    }
}
