using System.Text.Json;

namespace Millrace.Schema.Compatibility;

/// <summary>
/// Compatibility of JSON Schemas (draft 2020-12) in reader/writer terms: can a consumer validating with one schema
/// read every instance a producer validating with another may write? The rules are in docs/governance.md,
/// "Compatibility rules". Pure logic: no I/O, thread-safe.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>
    /// Every place where <paramref name="writer"/> allows an instance that <paramref name="reader"/> rejects; empty when
    /// the reader accepts everything the writer allows.
    /// </summary>
    /// <exception cref="ArgumentException">A schema is neither an object nor a boolean.</exception>
    public static IReadOnlyList<SchemaIncompatibility> Check(JsonElement reader, JsonElement writer, CompatibilityOptions? options = null)
    {
        RequireSchema(reader, nameof(reader));
        RequireSchema(writer, nameof(writer));
        return new CompatibilityChecker(reader, writer, options ?? CompatibilityOptions.Default).Run();
    }

    /// <summary>
    /// Checks a candidate version against the earlier versions of its subject under <paramref name="mode"/>:
    /// non-transitive modes compare with the latest (last) one, transitive modes with all of them. Pointers are into
    /// the candidate schema.
    /// </summary>
    /// <param name="mode">The subject's compatibility mode.</param>
    /// <param name="candidate">The schema being registered.</param>
    /// <param name="earlier">The subject's versions, oldest first.</param>
    /// <param name="options">Assumptions of the check.</param>
    public static IReadOnlyList<CompatibilityViolation> CheckAgainst(CompatibilityMode mode, JsonElement candidate,
        IReadOnlyList<JsonElement> earlier, CompatibilityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var result = new List<CompatibilityViolation>();
        if (mode == CompatibilityMode.None || earlier.Count == 0) return result;
        int first = mode.IsTransitive() ? 0 : earlier.Count - 1;
        for (int i = earlier.Count - 1; i >= first; i--)
        {
            if (mode.ChecksBackward())
                foreach (var issue in Check(candidate, earlier[i], options))
                    result.Add(new CompatibilityViolation(i, CompatibilityDirection.Backward, issue.ReaderPointer,
                        $"backward: the new schema cannot read data valid under the earlier one: {issue.Reason}", issue));
            if (mode.ChecksForward())
                foreach (var issue in Check(earlier[i], candidate, options))
                    result.Add(new CompatibilityViolation(i, CompatibilityDirection.Forward, issue.WriterPointer,
                        $"forward: consumers of the earlier schema cannot read data valid under the new one: {issue.Reason}", issue));
        }
        return result;
    }

    private static void RequireSchema(JsonElement schema, string name)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            throw new ArgumentException($"a JSON Schema is an object or a boolean, got {schema.ValueKind}", name);
    }
}
