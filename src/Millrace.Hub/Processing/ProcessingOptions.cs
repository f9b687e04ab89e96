namespace Millrace.Hub.Processing;

/// <summary>How shards run rules: lateness, idle watermarks, checkpoints and the emission queue.</summary>
public sealed record ProcessingOptions
{
    /// <summary>
    /// How far behind the newest sample time a sample may arrive and still count: the shard's watermark is its newest
    /// sample time minus this. Default 2 s.
    /// </summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A shard that received no sample for this long (wall clock) advances its watermark with the wall clock from its
    /// last sample time, so windows and minimum durations of silent assets still close. Default 2 s.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often idle shards are checked. Default 500 ms.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often every shard checkpoints its rules' state (and at shutdown). Default 5 s.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Business events waiting for the log before emitting shards wait (back-pressure). Default 4096.</summary>
    public int EmissionQueueCapacity { get; init; } = 4096;

    /// <summary>Clock of ticks and checkpoints (a manual one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (AllowedLateness < TimeSpan.Zero) throw new ArgumentException($"AllowedLateness {AllowedLateness} must not be negative", nameof(AllowedLateness));
        if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentException($"IdleTimeout {IdleTimeout} must be positive", nameof(IdleTimeout));
        if (TickInterval <= TimeSpan.Zero) throw new ArgumentException($"TickInterval {TickInterval} must be positive", nameof(TickInterval));
        if (CheckpointInterval <= TimeSpan.Zero) throw new ArgumentException($"CheckpointInterval {CheckpointInterval} must be positive", nameof(CheckpointInterval));
        if (EmissionQueueCapacity < 1) throw new ArgumentException($"EmissionQueueCapacity {EmissionQueueCapacity} must be at least 1", nameof(EmissionQueueCapacity));
    }
}
