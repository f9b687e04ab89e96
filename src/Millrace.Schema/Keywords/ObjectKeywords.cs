using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>minProperties / maxProperties.</summary>
internal sealed class PropertyCountKeyword(string name, string absoluteLocation, long limit) : Keyword(name, absoluteLocation)
{
    private readonly bool _isMax = name == "maxProperties";

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Object) return true;
        int n = instance.GetPropertyCount();
        bool valid = _isMax ? n <= limit : n >= limit;
        if (!valid && ctx.Collecting) ctx.Fail(this, _isMax ? $"Object has {n} properties, more than the maximum {limit}."
                                          : $"Object has {n} properties, fewer than the minimum {limit}.");
        return valid;
    }
}

/// <summary>required: one pass over the members marks which required names are present.</summary>
internal sealed class RequiredKeyword(string name, string absoluteLocation, Utf8NameTable names) : Keyword(name, absoluteLocation)
{
    /// <summary>The required names.</summary>
    internal Utf8NameTable Names => names;

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Object) return true;
        return Check(instance, names, ctx, this, null);
    }

    /// <summary>Shared with dependentRequired; <paramref name="because"/> names the triggering property.</summary>
    internal static bool Check(JsonElement instance, Utf8NameTable names, EvaluationContext ctx, Keyword keyword,
        string? because)
    {
        int count = names.Count;
        if (count == 0) return true;
        if (count <= 64)
        {
            ulong seen = 0;
            foreach (var p in instance.EnumerateObject())
            {
                int i = names.IndexOf(p);
                if (i >= 0) seen |= 1UL << i;
            }
            ulong all = count == 64 ? ulong.MaxValue : (1UL << count) - 1;
            if (seen == all) return true;
            if (ctx.Collecting)
                for (int i = 0; i < count; i++)
                    if ((seen & (1UL << i)) == 0) Report(names[i], ctx, keyword, because);
            return false;
        }
        bool valid = true;
        for (int i = 0; i < count; i++)
        {
            if (instance.TryGetProperty(names.Utf8(i), out _)) continue;
            valid = false;
            if (!ctx.Collecting) return false;
            Report(names[i], ctx, keyword, because);
        }
        return valid;
    }

    private static void Report(string name, EvaluationContext ctx, Keyword keyword, string? because) =>
        ctx.Fail(keyword, because is null ? $"Required property '{name}' is missing."
                                          : $"Property '{name}' is required when '{because}' is present.");
}

/// <summary>dependentRequired: when a property is present, others must be too.</summary>
internal sealed class DependentRequiredKeyword(string absoluteLocation, (string Trigger, Utf8NameTable Names)[] rules)
    : Keyword("dependentRequired", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Object) return true;
        bool valid = true;
        foreach (var (trigger, names) in rules)
        {
            if (!instance.TryGetProperty(trigger, out _)) continue;
            if (!RequiredKeyword.Check(instance, names, ctx, this, trigger))
            {
                valid = false;
                if (!ctx.Collecting) return false;
            }
        }
        return valid;
    }
}

/// <summary>dependentSchemas: when a property is present, the whole object must match a schema (in place).</summary>
internal sealed class DependentSchemasKeyword(string absoluteLocation, (string Trigger, string Segment, SchemaNode Schema)[] rules)
    : ApplicatorKeyword("dependentSchemas", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Object) return true;
        bool valid = true;
        foreach (var (trigger, segment, schema) in rules)
        {
            if (!instance.TryGetProperty(trigger, out _)) continue;
            if (!Apply(schema, instance, ctx, segment, evaluated))
            {
                valid = false;
                if (!ctx.Collecting) return false;
            }
        }
        return valid;
    }
}

/// <summary>
/// propertyNames: each member name, as a JSON string, must match the schema. Names are not JsonElements, so they
/// are written into one small document per validated object; the keyword is rare enough for that to be fine.
/// </summary>
internal sealed class PropertyNamesKeyword(string absoluteLocation, SchemaNode schema)
    : ApplicatorKeyword("propertyNames", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Object || schema.BooleanValue == true) return true;
        if (instance.GetPropertyCount() == 0) return true;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var p in instance.EnumerateObject()) writer.WriteStringValue(p.Name);
            writer.WriteEndArray();
        }
        using var names = JsonDocument.Parse(buffer.WrittenMemory);
        bool valid = true;
        int mark = ctx.Mark;
        foreach (var name in names.RootElement.EnumerateArray())
        {
            if (Apply(schema, name, ctx, "propertyNames", null)) continue;
            valid = false;
            if (!ctx.Collecting) return false;
            if (ctx.Collecting) ctx.Fail(this, $"Property name '{name.GetString()}' does not match the propertyNames schema.", mark);
            mark = ctx.Mark;
        }
        return valid;
    }
}
