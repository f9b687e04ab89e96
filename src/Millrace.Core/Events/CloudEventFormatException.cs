namespace Millrace.Core.Events;

/// <summary>
/// A CloudEvent that cannot be accepted: <see cref="Pointer"/> names the exact member (a JSON pointer into the
/// document, e.g. <c>/3/source</c> for the fourth event of a batch) and <see cref="Reason"/> says why.
/// </summary>
public sealed class CloudEventFormatException(string pointer, string reason)
    : FormatException($"{(pointer.Length == 0 ? "/" : pointer)}: {reason}")
{
    /// <summary>JSON pointer of the offending member; empty for the document itself.</summary>
    public string Pointer { get; } = pointer;

    /// <summary>Why it was refused, for a person.</summary>
    public string Reason { get; } = reason;
}
