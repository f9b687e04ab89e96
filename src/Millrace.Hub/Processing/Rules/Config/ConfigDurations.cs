using System.Globalization;
using Millrace.Core.Config;

namespace Millrace.Hub.Processing.Rules;

/// <summary>Durations in rule configuration: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>1d</c>.</summary>
internal static class ConfigDurations
{
    /// <summary>Reads <paramref name="key"/> as a duration in milliseconds; null when absent or invalid (reported).</summary>
    public static long? Read(MappingReader m, ConfigContext context, string key)
    {
        var node = m.Text(key);
        if (node is null) return null;
        if (TryParse(node.Value, out var ms) && ms >= 0) return ms;
        context.Error(node, $"'{key}' of {m.What} must be a duration such as 500ms, 30s, 5m, 1h30m or 1d, got '{node.Value}'");
        return null;
    }

    /// <summary>Parses a duration (a sequence of number+unit pairs) into milliseconds.</summary>
    public static bool TryParse(string text, out long milliseconds)
    {
        milliseconds = 0;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty) return false;
        double total = 0;
        while (!s.IsEmpty)
        {
            int n = 0;
            while (n < s.Length && (char.IsAsciiDigit(s[n]) || s[n] == '.')) n++;
            if (n == 0 || !double.TryParse(s[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            s = s[n..];
            int u = 0;
            while (u < s.Length && char.IsAsciiLetterLower(s[u])) u++;
            double factor = s[..u] switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => -1,
            };
            if (factor < 0) return false;
            total += number * factor;
            s = s[u..];
        }
        if (total > long.MaxValue / 4) return false;
        milliseconds = (long)Math.Round(total);
        return true;
    }
}
