using Millrace.Core.Model;
using Millrace.Hub.Processing;
using Millrace.Hub.Processing.Execution;
using Millrace.Hub.Processing.Rules;

namespace Millrace.Hub.Hosting;

/// <summary>What the hub's shards run beyond live state: the enterprise model behind asset context, and rules.</summary>
/// <param name="Model">The enterprise model (asset → cell → line → plant, storage locations); null derives lines from asset ids.</param>
/// <param name="Rules">Builds one rules engine per shard; null runs no rules (samples only update live state).</param>
public sealed record HubProcessing(EnterpriseModel? Model = null, Func<ShardSetup, IShardRuleEngine>? Rules = null)
{
    /// <summary>Lateness, idle ticks, checkpoint interval, emission queue.</summary>
    public ProcessingOptions Options { get; init; } = new();
}
