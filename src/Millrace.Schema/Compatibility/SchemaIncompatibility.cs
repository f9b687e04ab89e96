namespace Millrace.Schema.Compatibility;

/// <summary>What kind of rule a writer/reader pair breaks (the rows of the rule table in docs/governance.md).</summary>
public enum IncompatibilityKind
{
    /// <summary>The reader accepts nothing (<c>false</c>) where the writer may write something.</summary>
    ReaderRejectsAll,
    /// <summary>The writer may produce a JSON type the reader does not accept (e.g. number into integer).</summary>
    TypeNarrowed,
    /// <summary>A value the writer may produce (from its <c>enum</c>/<c>const</c>) is not accepted by the reader.</summary>
    EnumValueNotAccepted,
    /// <summary>The reader has an <c>enum</c>/<c>const</c> but the writer is not restricted to listed values.</summary>
    EnumAdded,
    /// <summary>A property the reader requires may be omitted by the writer.</summary>
    RequiredAdded,
    /// <summary>A property the writer may write is not allowed by the reader (closed content model).</summary>
    PropertyNotAllowed,
    /// <summary><c>minimum</c>, <c>maximum</c> or their exclusive forms tightened, or <c>multipleOf</c> changed.</summary>
    RangeNarrowed,
    /// <summary><c>minLength</c>/<c>maxLength</c> tightened.</summary>
    LengthNarrowed,
    /// <summary>The reader has a <c>pattern</c> the writer's pattern is not known to satisfy.</summary>
    PatternChanged,
    /// <summary>The reader has a <c>format</c> the writer's format is not known to satisfy.</summary>
    FormatChanged,
    /// <summary>Array bounds (<c>minItems</c>, <c>maxItems</c>, <c>uniqueItems</c>, <c>contains</c>) tightened, or an item position forbidden.</summary>
    ItemsNarrowed,
    /// <summary><c>minProperties</c>/<c>maxProperties</c>/<c>propertyNames</c> tightened.</summary>
    PropertiesNarrowed,
    /// <summary>A <c>dependentRequired</c>/<c>dependentSchemas</c> constraint the writer does not guarantee.</summary>
    DependencyAdded,
    /// <summary>A writer alternative is accepted by no branch of the reader's <c>anyOf</c>/<c>oneOf</c>.</summary>
    BranchNotCovered,
    /// <summary>A reader <c>oneOf</c> gained a branch that may overlap another, so a value could match two.</summary>
    OneOfOverlap,
    /// <summary>The rules cannot decide (e.g. <c>not</c>, <c>if</c>, a remote <c>$ref</c>): refused to be safe.</summary>
    Undecidable,
}

/// <summary>
/// One reason a reader schema may reject data a writer schema allows. Pointers are JSON pointers into each schema
/// document, following local <c>$ref</c>s to their target; where the location exists only on one side the pointer
/// names where it would be.
/// </summary>
/// <param name="Kind">The rule broken.</param>
/// <param name="ReaderPointer">Location in the reader schema.</param>
/// <param name="WriterPointer">Location in the writer schema.</param>
/// <param name="Reason">What the writer may produce that the reader rejects.</param>
public sealed record SchemaIncompatibility(IncompatibilityKind Kind, string ReaderPointer, string WriterPointer, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{(ReaderPointer.Length == 0 ? "/" : ReaderPointer)}: {Reason}";
}

/// <summary>One incompatibility of a candidate version with an earlier version, as the registry reports it.</summary>
/// <param name="AgainstIndex">Index (0-based, oldest first) of the earlier version in the list checked against.</param>
/// <param name="Direction">Which direction failed.</param>
/// <param name="Pointer">JSON pointer into the candidate schema.</param>
/// <param name="Reason">Why, in reader/writer terms.</param>
/// <param name="Detail">The underlying reader/writer finding.</param>
public sealed record CompatibilityViolation(int AgainstIndex, CompatibilityDirection Direction, string Pointer, string Reason, SchemaIncompatibility Detail);
