namespace Millrace.Core;

/// <summary>
/// Strict RFC 3339 timestamps (<c>2026-11-22T10:15:30.125Z</c>, <c>…+01:00</c>). Stricter than
/// <see cref="DateTimeOffset.TryParse(string, out DateTimeOffset)"/>, which accepts culture-dependent forms that
/// would let two plants mean different instants with the same text.
/// </summary>
public static class Rfc3339
{
    /// <summary>Parses <paramref name="text"/>; false when it is not an RFC 3339 date-time.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        // yyyy-MM-ddTHH:mm:ss at minimum, then optional fraction, then Z or ±hh:mm
        if (text.Length < 20) return false;
        if (!Digits(text, 0, 4, out int year) || text[4] != '-' || !Digits(text, 5, 2, out int month) || text[7] != '-' ||
            !Digits(text, 8, 2, out int day) || (text[10] | 0x20) != 't' || !Digits(text, 11, 2, out int hour) ||
            text[13] != ':' || !Digits(text, 14, 2, out int minute) || text[16] != ':' || !Digits(text, 17, 2, out int second))
            return false;
        int i = 19;
        long ticks = 0;
        if (text[i] == '.')
        {
            i++;
            int start = i;
            long scale = TimeSpan.TicksPerSecond;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                scale /= 10;
                ticks += (text[i] - '0') * scale; // digits beyond 100 ns are truncated
                i++;
            }
            if (i == start) return false;
        }
        if (i >= text.Length) return false;
        TimeSpan offset;
        if ((text[i] | 0x20) == 'z')
        {
            offset = TimeSpan.Zero;
            i++;
        }
        else if (text[i] is '+' or '-')
        {
            if (text.Length - i != 6 || !Digits(text, i + 1, 2, out int oh) || text[i + 3] != ':' || !Digits(text, i + 4, 2, out int om) || oh > 23 || om > 59)
                return false;
            offset = new TimeSpan(oh, om, 0);
            if (text[i] == '-') offset = -offset;
            i += 6;
        }
        else return false;
        if (i != text.Length) return false;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 60)
            return false;
        bool leap = second == 60; // a leap second is legal RFC 3339; .NET has none, so it becomes :59.9999999
        try
        {
            var dt = new DateTime(year, month, day, hour, minute, leap ? 59 : second, DateTimeKind.Unspecified).AddTicks(leap ? TimeSpan.TicksPerSecond - 1 : ticks);
            value = new DateTimeOffset(dt, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Formats as RFC 3339 in UTC with as many fractional digits as needed (none when whole seconds).</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString(value.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
            System.Globalization.CultureInfo.InvariantCulture);

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (int k = start; k < start + count; k++)
        {
            if (!char.IsAsciiDigit(s[k])) return false;
            value = value * 10 + (s[k] - '0');
        }
        return true;
    }
}
