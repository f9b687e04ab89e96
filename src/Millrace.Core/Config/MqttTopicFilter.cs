namespace Millrace.Core.Config;

/// <summary>MQTT topic filter rules (MQTT 3.1.1 §4.7 / 5.0 §4.7): validation and overlap.</summary>
public static class MqttTopicFilter
{
    /// <summary>Null when <paramref name="filter"/> is a valid filter, otherwise why not (and the offending offset).</summary>
    public static string? Validate(string filter, out int offset)
    {
        offset = 0;
        if (filter.Length == 0) return "a topic filter must not be empty";
        if (System.Text.Encoding.UTF8.GetByteCount(filter) > 65535) return "a topic filter is at most 65535 bytes";
        var start = 0;
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            offset = start;
            if (level.Contains('\0')) return "a topic filter must not contain NUL";
            if (level.Contains('#') && (level != "#" || i != levels.Length - 1))
            {
                offset = start + level.IndexOf('#');
                return "'#' must be a whole level and the last one (e.g. 'acme/plant-03/#')";
            }
            if (level.Contains('+') && level != "+")
            {
                offset = start + level.IndexOf('+');
                return "'+' must be a whole level (e.g. 'acme/+/telemetry')";
            }
            start += level.Length + 1;
        }
        return null;
    }

    /// <summary>Whether some topic matches both filters.</summary>
    public static bool Overlap(string a, string b)
    {
        var x = a.Split('/');
        var y = b.Split('/');
        for (var i = 0; ; i++)
        {
            var xEnd = i >= x.Length;
            var yEnd = i >= y.Length;
            if (!xEnd && x[i] == "#" || !yEnd && y[i] == "#") return true;
            if (xEnd || yEnd) return xEnd && yEnd;
            if (x[i] != "+" && y[i] != "+" && x[i] != y[i]) return false;
        }
    }
}
