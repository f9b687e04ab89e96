using System.Text.Json;
using Millrace.Schema.Compatibility;

namespace Millrace.Schema.Tests.Compatibility;

/// <summary>Helpers for compatibility specs: JSON from text, checks with readable failure messages.</summary>
internal static class Compat
{
    public static JsonElement J(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static IReadOnlyList<SchemaIncompatibility> Check(string reader, string writer, CompatibilityOptions? options = null)
        => SchemaCompatibility.Check(J(reader), J(writer), options);

    public static void Compatible(string reader, string writer, CompatibilityOptions? options = null)
    {
        var issues = Check(reader, writer, options);
        Assert.True(issues.Count == 0, "expected compatible, got:\n" + string.Join("\n", issues));
    }

    /// <summary>Asserts exactly one finding of <paramref name="kind"/> at <paramref name="readerPointer"/> (other findings allowed).</summary>
    public static SchemaIncompatibility Incompatible(string reader, string writer, IncompatibilityKind kind, string readerPointer, CompatibilityOptions? options = null)
    {
        var issues = Check(reader, writer, options);
        var match = issues.Where(i => i.Kind == kind && i.ReaderPointer == readerPointer).ToList();
        Assert.True(match.Count == 1, $"expected one {kind} at '{readerPointer}', got:\n" + string.Join("\n", issues.Select(i => $"{i.Kind} {i.ReaderPointer} | {i.WriterPointer}: {i.Reason}")));
        return match[0];
    }

    public static IReadOnlyList<CompatibilityViolation> Against(CompatibilityMode mode, string candidate, params string[] earlier)
        => SchemaCompatibility.CheckAgainst(mode, J(candidate), earlier.Select(J).ToList());
}
