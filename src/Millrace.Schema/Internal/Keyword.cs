using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>A compiled keyword of one schema object.</summary>
internal abstract class Keyword(string name, string absoluteLocation)
{
    /// <summary>The keyword as written in the schema (its path segment).</summary>
    public string Name { get; } = name;

    /// <summary>Absolute URI of the keyword: base URI plus JSON pointer fragment.</summary>
    public string AbsoluteLocation { get; } = absoluteLocation;

    /// <summary>Keywords that read sibling annotations (unevaluated*) run last.</summary>
    public virtual int Phase => 0;

    /// <summary>
    /// Evaluates the keyword. <paramref name="evaluated"/> is non-null only when an enclosing schema needs
    /// evaluated-member annotations for this very instance.
    /// </summary>
    public abstract bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated);
}
