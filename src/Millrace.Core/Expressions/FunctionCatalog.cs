namespace Millrace.Core.Expressions;

/// <summary>The fixed whitelist of functions. Nothing else can be called from an expression.</summary>
public static class FunctionCatalog
{
    /// <summary>Every function name with its signature, as documented in docs/expressions.md.</summary>
    public static IReadOnlyDictionary<string, string> Signatures { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["abs"] = "abs(number) -> number",
        ["min"] = "min(number, number, ...) -> number",
        ["max"] = "max(number, number, ...) -> number",
        ["round"] = "round(number[, digits]) -> number",
        ["floor"] = "floor(number) -> number",
        ["ceil"] = "ceil(number) -> number",
        ["sqrt"] = "sqrt(number) -> number",
        ["pow"] = "pow(number, number) -> number",
        ["clamp"] = "clamp(x, lo, hi) -> number",
        ["len"] = "len(string | json) -> number",
        ["lower"] = "lower(string) -> string",
        ["upper"] = "upper(string) -> string",
        ["contains"] = "contains(string | json, string | number) -> boolean",
        ["starts_with"] = "starts_with(string, string) -> boolean",
        ["ends_with"] = "ends_with(string, string) -> boolean",
        ["coalesce"] = "coalesce(a, b, ...) -> type of a",
        ["now"] = "now() -> timestamp",
        ["duration_seconds"] = "duration_seconds(duration) -> number",
        ["to_number"] = "to_number(any) -> number",
        ["to_string"] = "to_string(any) -> string",
        ["timestamp"] = "timestamp(string | json) -> timestamp",
        ["exists"] = "exists(field) -> boolean",
        ["if"] = "if(condition, a, b) -> type of a and b",
    };

    /// <summary>Whether <paramref name="name"/> is a function.</summary>
    public static bool IsFunction(string name) => Signatures.ContainsKey(name);
}
