namespace Millrace.Schema.Compatibility;

/// <summary>Assumptions of a compatibility check.</summary>
public sealed class CompatibilityOptions
{
    /// <summary>The defaults: writers write only the properties they declare.</summary>
    public static CompatibilityOptions Default { get; } = new();

    /// <summary>
    /// When false (default), a writer whose <c>additionalProperties</c> is absent or <c>true</c> is assumed to write
    /// only the properties it declares, so adding an optional property to a reader is compatible (the rule the issue
    /// and most teams expect). When true, such a writer may write any property with any value, so a reader adding a
    /// constrained property is incompatible unless the writer was closed (Confluent's strict open-content-model rule).
    /// </summary>
    public bool StrictOpenContentModel { get; init; }
}
