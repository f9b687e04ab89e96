using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>A compiled (sub)schema: a boolean schema or an ordered array of keyword validators.</summary>
internal sealed class SchemaNode(SchemaResource resource, string absoluteLocation)
{
    /// <summary>Non-null for the boolean schemas true and false.</summary>
    public bool? BooleanValue { get; set; }

    /// <summary>The keywords in evaluation order, as written: what the full (collecting) path runs.</summary>
    public Keyword[] Keywords { get; set; } = [];

    /// <summary>
    /// The keywords the fast path (<see cref="JsonSchemaValidator.IsValid"/>) runs: the same verdict with fused
    /// passes (see <see cref="FastPathPlanner"/>).
    /// </summary>
    public Keyword[] FastKeywords { get; set; } = [];

    public SchemaResource Resource { get; } = resource;

    /// <summary>Absolute URI of this schema object (base URI plus JSON pointer fragment).</summary>
    public string AbsoluteLocation { get; } = absoluteLocation;

    /// <summary>True when a keyword of this object consumes evaluated-member annotations.</summary>
    public bool TracksEvaluated { get; set; }

    public bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (BooleanValue is bool constant)
        {
            if (!constant) ctx.FailSchema(this, "The schema 'false' rejects every value.");
            return constant;
        }
        ctx.Enter(Resource, this);
        EvaluatedSet? local = evaluated is not null || TracksEvaluated ? ctx.RentSet(instance) : null;
        bool valid = true;
        var keywords = ctx.Collecting ? Keywords : FastKeywords;
        for (int i = 0; i < keywords.Length; i++)
        {
            if (!keywords[i].Evaluate(instance, ctx, local))
            {
                valid = false;
                if (!ctx.Collecting) break;
            }
        }
        if (local is not null)
        {
            if (valid && evaluated is not null) evaluated.Merge(local);
            ctx.ReturnSet(local);
        }
        ctx.Exit(Resource);
        return valid;
    }
}
