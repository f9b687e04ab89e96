using System.Buffers;

namespace Millrace.Hub.Processing.Telemetry;

/// <summary>
/// The pool sample batches are rented from by the sources and returned to by <see cref="TelemetryPipeline"/> once every
/// shard has processed them. Why not <see cref="ArrayPool{T}.Shared"/>: it keeps only a few arrays per size per core
/// (plus one per thread), while a batch is rented on a request thread and returned on a shard thread and up to a shard
/// queue's capacity of batches are in flight at once. Under ingest load the shared pool dropped returned arrays and
/// allocated new 20 KB ones (512 samples), which was most of the ~48 bytes per sample left on the HTTP ingest path.
/// This pool keeps up to <see cref="ArraysPerSize"/> arrays per size, so steady ingest reuses the same arrays.
/// </summary>
public static class TelemetrySamplePool
{
    /// <summary>Arrays kept per size: covers a full shard queue (256 batches) plus the requests being decoded.</summary>
    public const int ArraysPerSize = 512;

    /// <summary>The pool; arrays from <see cref="ArrayPool{T}.Shared"/> may be returned to it too (same sizes).</summary>
    public static ArrayPool<TelemetrySample> Shared { get; } = ArrayPool<TelemetrySample>.Create(maxArrayLength: 1 << 20, maxArraysPerBucket: ArraysPerSize);
}
