namespace Millrace.Schema.Tests.Suite;

/// <summary>
/// Optional suite cases this validator deliberately does not satisfy, each with its reason. Required tests are
/// never listed here. Keys are "file|group|test description".
/// </summary>
public static class SuiteExclusions
{
    private const string DependenciesReason =
        "'dependencies' is the draft 7 keyword that 2020-12 split into dependentRequired/dependentSchemas; " +
        "Millrace implements draft 2020-12 only and treats it as an unknown keyword (annotation).";

    private const string CrossDraftReason =
        "Evaluating a $ref target with the rules of an older draft (here draft 2019-09 'items' array form) needs a " +
        "second keyword set; Millrace compiles every schema as draft 2020-12.";

    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["optional/cross-draft.json|refs to historic drafts are processed as historic drafts|first item not a string is valid"] = CrossDraftReason,
        ["optional/dependencies-compatibility.json|boolean subschemas|object with both properties is invalid"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|boolean subschemas|object with property having schema false is invalid"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|dependencies with escaped characters|CRLF missing dependent"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|dependencies with escaped characters|quoted quotes missing dependent"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|multiple dependents required|missing both dependencies"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|multiple dependents required|missing dependency"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|multiple dependents required|missing other dependency"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|schema dependencies with escaped characters|quoted quote"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|schema dependencies with escaped characters|quoted quote invalid under dependent schema"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|schema dependencies with escaped characters|quoted tab invalid under dependent schema"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|single dependency|missing dependency"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|single schema dependency|wrong type"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|single schema dependency|wrong type both"] = DependenciesReason,
        ["optional/dependencies-compatibility.json|single schema dependency|wrong type other"] = DependenciesReason,
    };

    public static string? Reason(SuiteTest test) => Reasons.GetValueOrDefault(test.Key);

    public static IReadOnlyDictionary<string, string> All => Reasons;
}
