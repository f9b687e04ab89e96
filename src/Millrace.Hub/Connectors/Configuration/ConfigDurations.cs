using System.Globalization;
using Millrace.Core.Config;

namespace Millrace.Hub.Connectors.Configuration;

/// <summary>Durations in configuration: a number with a unit, <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>.</summary>
internal static class ConfigDurations
{
    public static TimeSpan? Read(MappingReader m, string key, ConfigContext context, TimeSpan? min = null)
    {
        var node = m.Text(key);
        if (node is null) return null;
        if (!TryParse(node.Value, out var value))
        {
            context.Error(node, $"'{key}' of {m.What} must be a duration such as 250ms, 30s, 5m or 2h, got '{node.Value}'");
            return null;
        }
        if (value <= TimeSpan.Zero || (min is { } lo && value < lo))
        {
            context.Error(node, $"'{key}' of {m.What} must be at least {(min ?? TimeSpan.FromMilliseconds(1)).TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms, got '{node.Value}'");
            return null;
        }
        return value;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        int split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.')) split++;
        if (split == 0 || !double.TryParse(text.AsSpan(0, split), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return false;
        double? ms = text[split..].Trim() switch
        {
            "ms" => n,
            "s" => n * 1000,
            "m" or "min" => n * 60_000,
            "h" => n * 3_600_000,
            _ => null,
        };
        if (ms is null || double.IsInfinity(ms.Value)) return false;
        value = TimeSpan.FromMilliseconds(ms.Value);
        return true;
    }
}
