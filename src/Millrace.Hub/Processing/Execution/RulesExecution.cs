using Microsoft.Extensions.Logging;
using Millrace.Hub.Processing.Checkpoints;
using Millrace.Hub.Processing.Context;
using Millrace.Hub.Processing.Emission;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Processing.Telemetry;
using Millrace.Log;

namespace Millrace.Hub.Processing.Execution;

/// <summary>What a rules engine for one shard is built from.</summary>
/// <param name="Shard">The shard number; the shard owns assets with <c>asset % ShardCount == Shard</c>.</param>
/// <param name="ShardCount">Number of shards.</param>
/// <param name="Context">Asset context at event time (order, lot, place).</param>
public sealed record ShardSetup(int Shard, int ShardCount, IAssetContextSource Context);

/// <summary>
/// Rules execution for the telemetry pipeline: one <see cref="IShardRuleEngine"/> per shard, the emitter they share,
/// the checkpoint store and the recovery window. Built by <see cref="PrepareAsync"/>, which restores every shard from
/// its checkpoint and opens the recovery window before the first sample.
/// </summary>
public sealed partial class RulesExecution
{
    private RulesExecution(ShardRules[] shards, int shardCount, RuleEventEmitter emitter, IEventLog log, RuleCheckpointStore? store,
        RecoveryWindow recovery, ProcessingOptions options, ProcessingMetrics metrics)
    {
        ShardCount = shardCount;
        Emitter = emitter;
        Log = log;
        Store = store;
        Recovery = recovery;
        Options = options;
        Metrics = metrics;
        Shards = shards;
    }

    /// <summary>Number of shards.</summary>
    public int ShardCount { get; }

    /// <summary>The emission stage.</summary>
    public RuleEventEmitter Emitter { get; }

    /// <summary>The durable log facts go to.</summary>
    public IEventLog Log { get; }

    /// <summary>Where shard checkpoints are kept, or null to run without (tests).</summary>
    public RuleCheckpointStore? Store { get; }

    /// <summary>Ids already appended after the checkpoints the shards restarted from.</summary>
    public RecoveryWindow Recovery { get; }

    /// <summary>Lateness, idle, checkpoint settings.</summary>
    public ProcessingOptions Options { get; }

    /// <summary>Processing meters.</summary>
    public ProcessingMetrics Metrics { get; }

    internal ShardRules[] Shards { get; }

    /// <summary>
    /// The shard count to run with: <paramref name="requested"/> when set; else the count the data folder's
    /// checkpoints were written with (assets must stay with the shard that holds their state); else one per processor.
    /// </summary>
    /// <exception cref="ArgumentException">A count was requested that differs from the checkpoints'.</exception>
    public static int ResolveShardCount(int requested, IReadOnlyList<ShardCheckpoint> checkpoints)
    {
        int saved = checkpoints.Count > 0 ? checkpoints[0].ShardCount : 0;
        if (requested > 0 && saved > 0 && requested != saved)
            throw new ArgumentException($"the data folder's rule checkpoints were written with {saved} telemetry shards, not {requested}: " +
                                        $"run with {saved} shards (or leave the count unset), or delete the rule_checkpoints table of hub.db to start the rules afresh");
        return requested > 0 ? requested : saved > 0 ? saved : Math.Max(1, Environment.ProcessorCount);
    }

    /// <summary>
    /// Builds the engines, restores each shard from its checkpoint (a checkpoint the engine refuses is logged and the
    /// shard starts afresh), and opens the recovery window from the oldest checkpoint's log offsets.
    /// </summary>
    public static async Task<RulesExecution> PrepareAsync(int shardCount, Func<ShardSetup, IShardRuleEngine> engines, IAssetContextSource context,
        RuleEventEmitter emitter, TelemetryCatalog catalog, IEventLog log, RuleCheckpointStore? store, RecoveryWindow recovery, ProcessingOptions options,
        ProcessingMetrics metrics, ILogger logger, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var checkpoints = store?.LoadAll() ?? [];
        var shards = new ShardRules[shardCount];
        var execution = new RulesExecution(shards, shardCount, emitter, log, store, recovery, options, metrics);
        for (int i = 0; i < shardCount; i++) shards[i] = new ShardRules(i, engines(new ShardSetup(i, shardCount, context)), execution);

        var from = new long[log.PartitionCount];
        var tail = await log.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        for (int p = 0; p < from.Length; p++) from[p] = tail.Partitions[p].NextOffset;
        bool anyRestored = false;
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.Shard >= shardCount || checkpoint.ShardCount != shardCount) continue;
            try
            {
                shards[checkpoint.Shard].Restore(checkpoint);
                anyRestored = true;
                for (int p = 0; p < from.Length; p++) from[p] = Math.Min(from[p], p < checkpoint.LogNextOffsets.Length ? checkpoint.LogNextOffsets[p] : 0);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidDataException or FormatException or InvalidOperationException)
            {
                LogRestoreRefused(logger, checkpoint.Shard, ex.Message);
            }
        }
        if (anyRestored)
        {
            await recovery.OpenAsync(log, from, shardCount, subject => catalog.TryFindAsset(subject, out int asset) ? asset % shardCount : -1,
                cancellationToken).ConfigureAwait(false);
            LogRestored(logger, shards.Count(s => s.Restored), shardCount, recovery.Count);
        }
        return execution;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}'s rule checkpoint was refused ({Reason}); the shard starts with empty rule state")]
    private static partial void LogRestoreRefused(ILogger logger, int shard, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored {Restored} of {Shards} shards from their checkpoints; {Recent} event(s) appended since are guarded against re-emission")]
    private static partial void LogRestored(ILogger logger, int restored, int shards, int recent);
}
