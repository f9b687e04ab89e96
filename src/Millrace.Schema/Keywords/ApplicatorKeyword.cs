using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>Base of keywords that apply subschemas: pushes the keyword path around the child evaluation.</summary>
internal abstract class ApplicatorKeyword(string name, string absoluteLocation) : Keyword(name, absoluteLocation)
{
    protected static bool Apply(SchemaNode node, JsonElement value, EvaluationContext ctx, string keywordSegment,
        EvaluatedSet? evaluated)
    {
        ctx.PushKeyword(keywordSegment);
        bool valid = node.Evaluate(value, ctx, evaluated);
        ctx.PopKeyword();
        return valid;
    }
}
