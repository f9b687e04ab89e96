using System.Collections.Concurrent;

namespace Millrace.Schema.Tests.Suite;

/// <summary>Runs suite tests through both validation paths, compiling each group's schema once.</summary>
public static class SuiteRunner
{
    private static readonly ConcurrentDictionary<(string, string, bool), Lazy<Outcome>> Compiled = new();

    private sealed record Outcome(JsonSchemaValidator? Validator, Exception? Error);

    /// <summary>
    /// The verdict of both paths, or an explanation when they disagree with each other or the schema does not compile.
    /// </summary>
    public static (bool Passed, string Detail) Run(SuiteTest test, bool assertFormats)
    {
        var outcome = Compiled.GetOrAdd((test.File, test.Group, assertFormats), _ => new Lazy<Outcome>(() =>
        {
            try { return new Outcome(JsonSchema.Compile(test.Schema, SuiteFiles.Options(assertFormats)), null); }
            catch (Exception e) { return new Outcome(null, e); }
        })).Value;
        if (outcome.Validator is null) return (false, "schema did not compile: " + outcome.Error!.Message);
        try
        {
            bool fast = outcome.Validator.IsValid(test.Data);
            var full = outcome.Validator.Validate(test.Data);
            if (fast != full.IsValid) return (false, $"IsValid={fast} but Validate().IsValid={full.IsValid}");
            if (full.IsValid != (full.Errors.Count == 0)) return (false, "valid result with errors or invalid without");
            return (fast == test.Valid, $"expected valid={test.Valid}, got {fast}; errors: {full.ToJson()}");
        }
        catch (Exception e)
        {
            return (false, "validation threw " + e);
        }
    }
}
