namespace Millrace.Hub.Governance;

/// <summary>Where an event type is in its life (the catalogue's <c>lifecycle</c>).</summary>
public enum EventLifecycle
{
    /// <summary>Being designed: may be emitted (for trials), consumers must not rely on it yet.</summary>
    Draft,

    /// <summary>In use; the default.</summary>
    Active,

    /// <summary>Still accepted until its sunset date, counted and warned about; producers should move to its successor.</summary>
    Deprecated,

    /// <summary>No longer accepted: emitting it is refused.</summary>
    Retired,
}

/// <summary>Names of <see cref="EventLifecycle"/> states and business domains as written in YAML and documents.</summary>
public static class EventLifecycles
{
    /// <summary>The states in YAML spelling.</summary>
    public static IReadOnlyList<string> Names { get; } = ["draft", "active", "deprecated", "retired"];

    /// <summary>The business domains an event type may belong to.</summary>
    public static IReadOnlyList<string> Domains { get; } = ["production", "inventory", "maintenance", "quality", "logistics"];

    /// <summary>The YAML spelling of a state.</summary>
    public static string ToName(this EventLifecycle lifecycle) => Names[(int)lifecycle];

    /// <summary>Parses a state, case-insensitively.</summary>
    public static bool TryParse(string text, out EventLifecycle lifecycle)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (!string.Equals(Names[i], text.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
            lifecycle = (EventLifecycle)i;
            return true;
        }
        lifecycle = EventLifecycle.Active;
        return false;
    }
}
