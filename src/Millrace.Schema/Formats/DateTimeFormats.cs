namespace Millrace.Schema.Formats;

/// <summary>
/// RFC 3339 date-time, full-date and full-time (section 5.6), with calendar and leap-second checks. Parsed on UTF-8
/// bytes (every valid value is ASCII); the char overloads narrow ASCII text first and reject anything else.
/// </summary>
internal static class DateTimeFormats
{
    public static bool IsDate(ReadOnlySpan<char> s)
    {
        Span<byte> bytes = s.Length <= 64 ? stackalloc byte[64] : new byte[s.Length];
        return Narrow(s, bytes, out int n) && IsDate(bytes[..n]);
    }

    public static bool IsTime(ReadOnlySpan<char> s)
    {
        Span<byte> bytes = s.Length <= 64 ? stackalloc byte[64] : new byte[s.Length];
        return Narrow(s, bytes, out int n) && IsTime(bytes[..n]);
    }

    public static bool IsDateTime(ReadOnlySpan<char> s)
    {
        Span<byte> bytes = s.Length <= 64 ? stackalloc byte[64] : new byte[s.Length];
        return Narrow(s, bytes, out int n) && IsDateTime(bytes[..n]);
    }

    public static bool IsDate(ReadOnlySpan<byte> s) => s.Length == 10 && ParseDate(s);

    public static bool IsTime(ReadOnlySpan<byte> s) => ParseTime(s);

    public static bool IsDateTime(ReadOnlySpan<byte> s) =>
        s.Length >= 20 && (s[10] == 'T' || s[10] == 't') && ParseDate(s[..10]) && ParseTime(s[11..]);

    /// <summary>ASCII text to bytes; false for non-ASCII text, which is never valid here.</summary>
    private static bool Narrow(ReadOnlySpan<char> s, Span<byte> bytes, out int length) =>
        System.Text.Ascii.FromUtf16(s, bytes, out length) == System.Buffers.OperationStatus.Done;

    private static bool ParseDate(ReadOnlySpan<byte> s)
    {
        if (s.Length != 10 || s[4] != '-' || s[7] != '-') return false;
        if (!Digits(s[..4], out int year) || !Digits(s.Slice(5, 2), out int month) || !Digits(s.Slice(8, 2), out int day))
            return false;
        if (month is < 1 or > 12 || day < 1) return false;
        return day <= DaysInMonth(year, month);
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>time-hour ":" time-minute ":" time-second [time-secfrac] time-offset.</summary>
    private static bool ParseTime(ReadOnlySpan<byte> s)
    {
        if (s.Length < 9 || s[2] != ':' || s[5] != ':') return false;
        if (!Digits(s[..2], out int hour) || !Digits(s.Slice(3, 2), out int minute) || !Digits(s.Slice(6, 2), out int second))
            return false;
        if (hour > 23 || minute > 59 || second > 60) return false;
        int i = 8;
        if (i < s.Length && s[i] == '.')
        {
            int start = ++i;
            while (i < s.Length && char.IsAsciiDigit((char)s[i])) i++;
            if (i == start) return false;
        }
        if (i >= s.Length) return false;
        int offsetMinutes;
        if (s[i] is (byte)'Z' or (byte)'z')
        {
            if (i + 1 != s.Length) return false;
            offsetMinutes = 0;
        }
        else if (s[i] is (byte)'+' or (byte)'-')
        {
            var off = s[(i + 1)..];
            if (off.Length != 5 || off[2] != ':' || !Digits(off[..2], out int oh) || !Digits(off.Slice(3, 2), out int om))
                return false;
            if (oh > 23 || om > 59) return false;
            offsetMinutes = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
        }
        else return false;
        if (second == 60)
        {
            // A leap second exists only at 23:59:60 UTC.
            int utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440;
            if (utc != 23 * 60 + 59) return false;
        }
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (byte c in s)
        {
            if (!char.IsAsciiDigit((char)c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
