using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Millrace.Core.Units;

namespace Millrace.Core.Config;

/// <summary>
/// How an MQTT topic names an asset, e.g. <c>acme/{plant}/{line}/{asset}/telemetry</c>. Each placeholder fills a
/// whole topic level. Placeholders: <c>{plant}</c>, <c>{area}</c>, <c>{line}</c>, <c>{cell}</c>, <c>{asset}</c>,
/// <c>{signal}</c>. <c>{asset}</c> and <c>{line}</c> are required; <c>{line}</c> is the second segment of the asset's
/// full id, so for an asset outside any line (a cold-store sensor) it carries the area id:
/// <c>plant/line-or-area/asset</c> is exactly the asset's full id (see <see cref="Model.ModelId"/>).
/// </summary>
public sealed class TopicTemplate
{
    /// <summary>The placeholder names a template may use.</summary>
    public static readonly ImmutableArray<string> KnownPlaceholders = ["plant", "area", "line", "cell", "asset", "signal"];

    private readonly string?[] _literalLevels; // null where a placeholder is
    private readonly int[] _placeholderLevel;  // placeholder i is at level _placeholderLevel[i]

    private TopicTemplate(string text, string?[] literals, ImmutableArray<string> placeholders, int[] levels)
    {
        Text = text;
        _literalLevels = literals;
        Placeholders = placeholders;
        _placeholderLevel = levels;
        SubscriptionFilter = string.Join('/', literals.Select(l => l ?? "+"));
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Placeholder names in the order they appear.</summary>
    public ImmutableArray<string> Placeholders { get; }

    /// <summary>The MQTT filter matching every topic of this template (placeholders become <c>+</c>).</summary>
    public string SubscriptionFilter { get; }

    /// <summary>Whether the template has <paramref name="placeholder"/>.</summary>
    public bool Has(string placeholder) => Placeholders.Contains(placeholder);

    /// <summary>Position of <paramref name="placeholder"/> in <see cref="Placeholders"/>, or -1.</summary>
    public int IndexOf(string placeholder) => Placeholders.IndexOf(placeholder);

    /// <summary>
    /// Parses a template. On failure, <paramref name="errorOffset"/> is the character offset of the problem.
    /// <paramref name="requirePlant"/>: whether <c>{plant}</c> is required (it is not when the source serves one plant).
    /// </summary>
    public static bool TryParse(string text, bool requirePlant, [NotNullWhen(true)] out TopicTemplate? template,
        [NotNullWhen(false)] out string? error, out int errorOffset)
    {
        template = null;
        errorOffset = 0;
        if (text.Length == 0)
        {
            error = "topic-template must not be empty";
            return false;
        }
        var levels = text.Split('/');
        var literals = new string?[levels.Length];
        var names = new List<string>();
        var positions = new List<int>();
        var offset = 0;
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            var open = level.IndexOf('{');
            var close = level.IndexOf('}');
            if (open < 0 && close < 0)
            {
                var wildcard = level.IndexOfAny(['+', '#']);
                if (wildcard >= 0)
                {
                    errorOffset = offset + wildcard;
                    error = "topic-template must not contain MQTT wildcards; use a placeholder such as '{asset}'";
                    return false;
                }
                literals[i] = level;
            }
            else if (open == 0 && close == level.Length - 1 && level.Length > 2)
            {
                var name = level[1..^1];
                if (!KnownPlaceholders.Contains(name))
                {
                    errorOffset = offset;
                    var suggestion = NameSuggester.Suggest(name, KnownPlaceholders);
                    error = $"unknown placeholder '{{{name}}}' in topic-template (known: {string.Join(", ", KnownPlaceholders.Select(p => "{" + p + "}"))})"
                            + (suggestion is null ? "" : $"; did you mean '{{{suggestion}}}'?");
                    return false;
                }
                if (names.Contains(name))
                {
                    errorOffset = offset;
                    error = $"placeholder '{{{name}}}' appears twice in topic-template";
                    return false;
                }
                names.Add(name);
                positions.Add(i);
            }
            else
            {
                errorOffset = offset + Math.Max(open, 0);
                error = "a placeholder must fill a whole topic level, like 'acme/{plant}/{line}/{asset}'";
                return false;
            }
            offset += level.Length + 1;
        }
        foreach (var required in requirePlant ? new[] { "plant", "line", "asset" } : ["line", "asset"])
        {
            if (names.Contains(required)) continue;
            errorOffset = 0;
            error = required == "plant"
                ? "topic-template needs '{plant}' (or scope the source to a single plant with 'plants: [id]')"
                : $"topic-template needs '{{{required}}}' to identify the asset (asset ids are plant/line/asset)";
            return false;
        }
        template = new TopicTemplate(text, literals, [.. names], [.. positions]);
        error = null;
        return true;
    }

    /// <summary>
    /// Matches a topic; on success <paramref name="values"/>[i] is the range of placeholder <see cref="Placeholders"/>[i]
    /// within <paramref name="topic"/>. No allocation.
    /// </summary>
    public bool TryMatch(ReadOnlySpan<char> topic, Span<Range> values)
    {
        if (values.Length < Placeholders.Length) throw new ArgumentException("values is shorter than Placeholders", nameof(values));
        var start = 0;
        var p = 0;
        for (var level = 0; level < _literalLevels.Length; level++)
        {
            if (start > topic.Length) return false;
            var rest = topic[start..];
            var slash = rest.IndexOf('/');
            var isLast = level == _literalLevels.Length - 1;
            if (isLast != (slash < 0)) return false;
            var length = slash < 0 ? rest.Length : slash;
            var segment = rest[..length];
            if (_literalLevels[level] is { } literal)
            {
                if (!segment.SequenceEqual(literal)) return false;
            }
            else
            {
                if (segment.IsEmpty) return false;
                values[p++] = new Range(start, start + length);
            }
            start += length + 1;
        }
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
