namespace Millrace.Core.Events;

/// <summary>One reason a CloudEvent document was refused: where (JSON pointer) and why.</summary>
/// <param name="Pointer">JSON pointer of the member, e.g. <c>/2/time</c>; empty for the whole document.</param>
/// <param name="Reason">What is wrong, for a person.</param>
public readonly record struct CloudEventError(string Pointer, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Pointer.Length == 0 ? "/" : Pointer)}: {Reason}";
}

/// <summary>The media types of the CloudEvents JSON formats.</summary>
public static class CloudEventMediaTypes
{
    /// <summary>Structured mode: one event as a JSON object.</summary>
    public const string Structured = "application/cloudevents+json";

    /// <summary>Batch mode: a JSON array of events.</summary>
    public const string Batch = "application/cloudevents-batch+json";
}
