using System.Globalization;
using System.Text;

namespace Millrace.Hub.Governance;

/// <summary>The catalogue as a plain-text table (what <c>millrace catalog</c> prints by default).</summary>
public static class CatalogTable
{
    private static readonly string[] Headers = ["DOMAIN", "EVENT TYPE", "VERSION", "LIFECYCLE", "SUNSET", "OWNER", "PRODUCERS", "CONSUMERS", "DESCRIPTION"];

    /// <summary>One row per event type, columns padded to their widest cell, then a count per lifecycle state.</summary>
    public static string Format(IReadOnlyList<CatalogMessage> messages)
    {
        var rows = new List<string[]> { Headers };
        foreach (var m in messages)
        {
            var t = m.Type;
            rows.Add(
            [
                t.Domain ?? "-",
                t.Subject,
                m.Version?.ToString(CultureInfo.InvariantCulture) ?? "-",
                t.Lifecycle.ToName() + (t.ReplacedBy is null ? "" : " -> " + t.ReplacedBy),
                t.Sunset?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
                t.Owner ?? "-",
                t.Producers.Count == 0 ? "-" : string.Join(", ", t.Producers),
                t.Consumers.Count == 0 ? "-" : string.Join(", ", t.Consumers),
                t.Description ?? "",
            ]);
        }
        var widths = Enumerable.Range(0, Headers.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                if (c == row.Length - 1) text.Append(row[c]);
                else text.Append(row[c].PadRight(widths[c] + 2));
            }
            text.Length = text.ToString().TrimEnd().Length;
            text.Append('\n');
        }
        var counts = messages.GroupBy(m => m.Type.Lifecycle).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.ToName()}");
        text.Append(CultureInfo.InvariantCulture, $"{messages.Count} event types: {string.Join(", ", counts)}\n");
        return text.ToString();
    }
}
