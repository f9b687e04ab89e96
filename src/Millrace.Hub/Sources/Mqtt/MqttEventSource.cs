using System.Diagnostics;
using Millrace.Core.Config;
using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Observability;

namespace Millrace.Hub.Sources.Mqtt;

/// <summary>
/// A <c>kind: mqtt</c> source with <c>format: cloudevents</c>: each message carries business events as CloudEvents
/// JSON — one event (structured mode) or an array (batch mode) — and every event goes through the same
/// <see cref="AdmissionGate"/> gate as HTTP ingest, under the source id. A source scoped to <c>plants</c> may only
/// deliver events of those plants (others are quarantined as <c>scope</c>). The topic is not interpreted; a message
/// that is not JSON at all becomes a dead letter of the source.
/// </summary>
internal sealed class MqttEventSource(MqttSourceDefinition definition, AdmissionGate gate, SqliteDeadLetterStore deadLetters) : IMqttSource
{
    /// <summary>The <c>format</c> value that selects this source.</summary>
    public const string Format = "cloudevents";

    private long _received, _admitted, _refused;

    /// <inheritdoc />
    public MqttSourceDefinition Definition { get; } = definition;

    /// <inheritdoc />
    public long Received => Interlocked.Read(ref _received);

    /// <inheritdoc />
    public long Accepted => Interlocked.Read(ref _admitted);

    /// <inheritdoc />
    public long DeadLettered => Interlocked.Read(ref _refused);

    /// <inheritdoc />
    public async ValueTask HandleAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _received);
        using var activity = HubTelemetry.IngestSource.StartActivity("ingest mqtt events", ActivityKind.Consumer);
        activity?.SetTag("messaging.destination.name", topic);
        string? traceId = activity?.TraceId.ToString();
        var copy = payload.ToArray(); // the transport may reuse its buffer once the handler returns
        if (!CloudEventDocument.TrySplit(copy, out _, out var slices, out var problem))
        {
            await deadLetters.StoreAsync(Definition.Id, $"not CloudEvents JSON on '{topic}': {problem}", "", CloudEventMediaTypes.Structured, copy, traceId, cancellationToken)
                .ConfigureAwait(false);
            Interlocked.Increment(ref _refused);
            return;
        }
        var submissions = slices.Select(s => EventSubmission.Parse(Definition.Id, s, CloudEventMediaTypes.Structured, traceId, Definition.Plants)).ToList();
        var results = await gate.AdmitAsync(submissions, cancellationToken).ConfigureAwait(false);
        int admitted = results.Count(r => r.Admitted);
        Interlocked.Add(ref _admitted, admitted);
        Interlocked.Add(ref _refused, results.Count - admitted);
    }
}
