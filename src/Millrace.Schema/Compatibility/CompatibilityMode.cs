namespace Millrace.Schema.Compatibility;

/// <summary>
/// How a subject's versions must relate, with the meaning Confluent Schema Registry gives these modes, applied to
/// JSON Schema. "Backward": consumers using the new schema can read data written with the old one. "Forward":
/// consumers using the old schema can read data written with the new one. "Full": both. Non-transitive modes check
/// the new version against the latest one only; transitive modes against every earlier version.
/// </summary>
public enum CompatibilityMode
{
    /// <summary>No check: any version is accepted.</summary>
    None,
    /// <summary>The new schema reads data written with the latest version.</summary>
    Backward,
    /// <summary>The new schema reads data written with every earlier version.</summary>
    BackwardTransitive,
    /// <summary>Data written with the new schema is read by the latest version.</summary>
    Forward,
    /// <summary>Data written with the new schema is read by every earlier version.</summary>
    ForwardTransitive,
    /// <summary>Backward and forward against the latest version.</summary>
    Full,
    /// <summary>Backward and forward against every earlier version.</summary>
    FullTransitive,
}

/// <summary>The direction of one compatibility check between a candidate schema and an earlier version.</summary>
public enum CompatibilityDirection
{
    /// <summary>The candidate (as reader) must accept everything the earlier version (as writer) allows.</summary>
    Backward,
    /// <summary>The earlier version (as reader) must accept everything the candidate (as writer) allows.</summary>
    Forward,
}

/// <summary>Parsing and properties of <see cref="CompatibilityMode"/> in the registry's spelling (<c>BACKWARD_TRANSITIVE</c>).</summary>
public static class CompatibilityModes
{
    /// <summary>The modes in their canonical spelling, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"];

    /// <summary>The canonical name (<c>FULL_TRANSITIVE</c>).</summary>
    public static string ToName(this CompatibilityMode mode) => Names[(int)mode];

    /// <summary>Parses a mode name; case-insensitive, '-' accepted for '_'.</summary>
    public static bool TryParse(string? text, out CompatibilityMode mode)
    {
        mode = CompatibilityMode.Backward;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var normal = text.Trim().Replace('-', '_').ToUpperInvariant();
        for (int i = 0; i < Names.Count; i++)
        {
            if (Names[i] != normal) continue;
            mode = (CompatibilityMode)i;
            return true;
        }
        return false;
    }

    /// <summary>Whether the mode checks every earlier version rather than only the latest.</summary>
    public static bool IsTransitive(this CompatibilityMode mode) =>
        mode is CompatibilityMode.BackwardTransitive or CompatibilityMode.ForwardTransitive or CompatibilityMode.FullTransitive;

    /// <summary>Whether the mode includes the backward direction.</summary>
    public static bool ChecksBackward(this CompatibilityMode mode) =>
        mode is CompatibilityMode.Backward or CompatibilityMode.BackwardTransitive or CompatibilityMode.Full or CompatibilityMode.FullTransitive;

    /// <summary>Whether the mode includes the forward direction.</summary>
    public static bool ChecksForward(this CompatibilityMode mode) =>
        mode is CompatibilityMode.Forward or CompatibilityMode.ForwardTransitive or CompatibilityMode.Full or CompatibilityMode.FullTransitive;
}
