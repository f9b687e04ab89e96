using System.Diagnostics;
using Millrace.Core;
using Millrace.Core.Events;
using Millrace.Hub.Observability;
using Millrace.Log;

namespace Millrace.Hub.Log;

/// <summary>
/// Appends business events (CloudEvents) to the durable log: partitioned by the event's partition key, stamped with
/// the current trace when it carries none, acknowledged only once durable.
/// </summary>
public sealed class BusinessEventLog(IEventLog log, HubTelemetry telemetry, TimeProvider time)
{
    /// <summary>The log underneath.</summary>
    public IEventLog Log => log;

    /// <summary>Raised after events are durably appended (context tracking listens here). Handlers must be quick and not throw.</summary>
    public event Action<IReadOnlyList<CloudEvent>>? Appended;

    /// <summary>Appends events atomically, in order; completes with their positions once durably committed.</summary>
    public async ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken = default)
    {
        using var activity = HubTelemetry.LogSource.StartActivity("log append", ActivityKind.Producer);
        activity?.SetTag("millrace.log.events", events.Count);
        var records = new LogRecord[events.Count];
        var now = time.GetUtcNow();
        for (int i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.TraceParent is null && TraceParentFormat.From(Activity.Current) is { } traceparent)
                e = e with { TraceParent = traceparent }; // the trace travels in the envelope from here on
            records[i] = new LogRecord(e.EffectivePartitionKey, e.Id, e.Type, e.Time ?? now, CloudEventJsonWriter.Serialize(e));
        }
        var positions = await log.AppendBatchAsync(records, cancellationToken).ConfigureAwait(false);
        telemetry.EventsAppended.Add(events.Count);
        Appended?.Invoke(events);
        return positions;
    }
}
