using System.Text.Json;
using Millrace.Schema.Internal;

namespace Millrace.Schema.Keywords;

/// <summary>minItems / maxItems.</summary>
internal sealed class ItemCountKeyword(string name, string absoluteLocation, long limit) : Keyword(name, absoluteLocation)
{
    private readonly bool _isMax = name == "maxItems";

    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Array) return true;
        int n = instance.GetArrayLength();
        bool valid = _isMax ? n <= limit : n >= limit;
        if (!valid && ctx.Collecting) ctx.Fail(this, _isMax ? $"Array has {n} items, more than the maximum {limit}."
                                          : $"Array has {n} items, fewer than the minimum {limit}.");
        return valid;
    }
}

/// <summary>uniqueItems: pairwise for short arrays, hashed for long ones.</summary>
internal sealed class UniqueItemsKeyword(string absoluteLocation) : Keyword("uniqueItems", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Array) return true;
        var (first, second) = FindDuplicate(instance);
        if (first < 0) return true;
        if (ctx.Collecting) ctx.Fail(this, $"Items {first} and {second} are equal; items must be unique.");
        return false;
    }

    private static (int, int) FindDuplicate(JsonElement array)
    {
        int n = array.GetArrayLength();
        if (n < 2) return (-1, -1);
        if (n <= 16)
        {
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    if (JsonValueEquality.Equal(array[i], array[j])) return (i, j);
            return (-1, -1);
        }
        var seen = new Dictionary<int, List<int>>();
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            int h = JsonValueEquality.Hash(item);
            if (seen.TryGetValue(h, out var same))
            {
                foreach (int k in same)
                    if (JsonValueEquality.Equal(array[k], item)) return (k, index);
                same.Add(index);
            }
            else seen[h] = [index];
            index++;
        }
        return (-1, -1);
    }
}

/// <summary>prefixItems and items together: positional schemas, then one schema for the rest.</summary>
internal sealed class ItemsKeyword(string absoluteLocation, SchemaNode[] prefix, SchemaNode? rest, string restAbsolute)
    : ApplicatorKeyword(prefix.Length > 0 ? "prefixItems" : "items", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Array) return true;
        bool valid = true;
        int index = 0;
        foreach (var item in instance.EnumerateArray())
        {
            SchemaNode node;
            string segment;
            if (index < prefix.Length)
            {
                node = prefix[index];
                segment = ctx.Collecting ? "prefixItems/" + index : "";
            }
            else if (rest is not null)
            {
                node = rest;
                segment = "items";
            }
            else break;
            evaluated?.Mark(index);
            ctx.PushInstance(index);
            bool ok;
            if (node.BooleanValue == false && ReferenceEquals(node, rest))
            {
                ok = false;
                if (ctx.Collecting) ctx.FailAt("items", restAbsolute, $"Item {index} is not allowed: items is false beyond the prefix.");
            }
            else ok = Apply(node, item, ctx, segment, null);
            ctx.PopInstance();
            if (!ok)
            {
                valid = false;
                if (!ctx.Collecting) return false;
            }
            index++;
        }
        return valid;
    }
}

/// <summary>contains with minContains / maxContains: counts matching items; matches are evaluated items.</summary>
internal sealed class ContainsKeyword(string absoluteLocation, SchemaNode schema, long min, long? max)
    : ApplicatorKeyword("contains", absoluteLocation)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext ctx, EvaluatedSet? evaluated)
    {
        if (instance.ValueKind != JsonValueKind.Array) return true;
        int mark = ctx.Mark;
        long matches = 0;
        int index = 0;
        bool needAll = evaluated is not null || max is not null;
        foreach (var item in instance.EnumerateArray())
        {
            ctx.PushInstance(index);
            bool ok = Apply(schema, item, ctx, "contains", null);
            ctx.PopInstance();
            if (ok)
            {
                matches++;
                evaluated?.Mark(index);
                if (!needAll && matches >= min) break;
            }
            index++;
        }
        ctx.Rollback(mark); // per-item failures are expected; only the count matters
        if (matches < min)
        {
            if (ctx.Collecting) ctx.Fail(this, min == 1 ? "Array contains no item matching the 'contains' schema."
                                    : $"Array contains {matches} matching items, fewer than minContains {min}.");
            return false;
        }
        if (max is long m && matches > m)
        {
            if (ctx.Collecting) ctx.Fail(this, $"Array contains {matches} matching items, more than maxContains {m}.");
            return false;
        }
        return true;
    }
}
