namespace Millrace.Hub.Governance;

/// <summary>What the catalogue says about emitting one event type.</summary>
public enum EventAdmissionVerdict
{
    /// <summary>Draft or active: accept.</summary>
    Allowed,

    /// <summary>Deprecated: accept, but it was counted (<c>millrace.events.deprecated</c>) and warned about.</summary>
    Deprecated,

    /// <summary>Retired: refuse with <see cref="EventAdmission.Reason"/>.</summary>
    Retired,

    /// <summary>Not in the catalogue: the caller decides (the schema gate quarantines types without a schema).</summary>
    Unknown,
}

/// <summary>The catalogue's answer for one event.</summary>
/// <param name="Verdict">Allowed, deprecated, retired or unknown.</param>
/// <param name="Type">The catalogue entry; null when unknown.</param>
/// <param name="Reason">Why it was refused (retired) or what to do (deprecated); null when allowed.</param>
public readonly record struct EventAdmission(EventAdmissionVerdict Verdict, EventType? Type, string? Reason)
{
    /// <summary>True when the event may enter the log as far as its lifecycle is concerned.</summary>
    public bool IsAccepted => Verdict is EventAdmissionVerdict.Allowed or EventAdmissionVerdict.Deprecated;
}
