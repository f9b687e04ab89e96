namespace Millrace.Hub.Processing.Checkpoints;

/// <summary>
/// The saved state of one shard: its rules' state (opaque, from <c>IShardRuleEngine.WriteCheckpoint</c>), where its
/// event time stood, and the log's next offset per partition at the moment every event the shard emitted before the
/// checkpoint was durable. Facts found again after a restart are looked for in the log from those offsets on.
/// </summary>
/// <param name="Shard">Shard number.</param>
/// <param name="ShardCount">Shards the pipeline ran with (assets are owned by <c>asset % ShardCount</c>).</param>
/// <param name="MaxEventTimeMs">Newest sample time the shard had seen (Unix ms; <see cref="long.MinValue"/> when none).</param>
/// <param name="WatermarkMs">The shard's watermark (Unix ms; <see cref="long.MinValue"/> when none).</param>
/// <param name="LogNextOffsets">Next offset of every log partition, index = partition.</param>
/// <param name="State">The rules engine's checkpoint bytes.</param>
/// <param name="WrittenAt">Wall-clock time it was written.</param>
public sealed record ShardCheckpoint(int Shard, int ShardCount, long MaxEventTimeMs, long WatermarkMs, long[] LogNextOffsets, byte[] State, DateTimeOffset WrittenAt);
