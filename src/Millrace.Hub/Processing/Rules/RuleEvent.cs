using System.Text.Json.Nodes;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// A business fact found by a rule, before it becomes a CloudEvent on the durable log. Emission is rare (one per
/// episode, order change or window), so this is a class; the per-sample hot path never allocates one.
/// </summary>
/// <param name="Type">CloudEvents type, a registered subject, e.g. <c>com.acme.maintenance.alert.raised.v1</c>.</param>
/// <param name="RuleId">The rule that found the fact (becomes part of the CloudEvent <c>source</c>).</param>
/// <param name="Asset">Dense asset index the fact is about.</param>
/// <param name="TimeMs">Event time of the fact (Unix ms, UTC): the sample time that completed it, never the wall clock.</param>
/// <param name="FactKey">
/// Identifies the fact uniquely and deterministically, e.g. <c>vibration-high/plant-01/line-1/filler-01/1763798400000</c>
/// (rule, asset, episode start). The CloudEvent id is derived from it, so the same fact found twice — after a
/// restart, a replay — gets the same id and is stored once.
/// </param>
/// <param name="Data">The event's <c>data</c>, shaped by the event type's schema.</param>
/// <param name="PartitionKey">Log partition key: the asset id by default, the order id for order-scoped facts.</param>
public sealed record RuleEvent(
    string Type,
    string RuleId,
    int Asset,
    long TimeMs,
    string FactKey,
    JsonObject Data,
    string? PartitionKey = null);

/// <summary>Receives what rules emit. Called on the shard's own thread; implementations must not block for long.</summary>
public interface IRuleEventSink
{
    /// <summary>Takes one business fact.</summary>
    void Emit(RuleEvent ruleEvent);

    /// <summary>
    /// A sample arrived later than the allowed lateness (its event time is at or before the asset's watermark
    /// <paramref name="watermarkMs"/>), so no rule used it. It is also counted in <see cref="RuleEngineCounters.Late"/>;
    /// implement this to dead-letter it. Must not block.
    /// </summary>
    void Late(in TelemetrySample sample, long watermarkMs)
    {
    }
}
