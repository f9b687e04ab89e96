using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>A string-only assertion that can judge a value from its raw UTF-8 content.</summary>
internal interface IStringAssertion
{
    /// <summary>
    /// The verdict for a string <paramref name="instance"/> whose content between the quotes is
    /// <paramref name="raw"/>; when <paramref name="escaped"/> the raw bytes hold JSON escapes.
    /// </summary>
    bool IsValidString(JsonElement instance, ReadOnlySpan<byte> raw, bool escaped);
}

/// <summary>
/// Fast path only (see <see cref="FastPathPlanner"/>): the string assertions of one schema object, plus
/// <c>type: "string"</c> when present, judged from one read of the value's kind and raw content.
/// </summary>
internal sealed class StringAssertionsKeyword(string absoluteLocation, IStringAssertion[] parts, bool mustBeString)
    : Keyword("(string assertions)", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.String) return !mustBeString;
        var raw = JsonText.RawContent(instance, out bool escaped);
        foreach (var part in parts)
            if (!part.IsValidString(instance, raw, escaped)) return false;
        return true;
    }
}
