namespace Millrace.Log.Sqlite;

/// <summary>
/// The committed extent of every partition as seen by readers, plus one wake-up signal per partition for tail readers.
/// Only the writer publishes, and only after COMMIT has returned, so anything visible here is durable.
/// </summary>
internal sealed class PartitionTable
{
    private readonly PartitionExtent[] _extents;
    private readonly TaskCompletionSource[] _signals;
    private readonly Lock _gate = new();
    private Exception? _closed;

    public PartitionTable(PartitionExtent[] extents)
    {
        _extents = (PartitionExtent[])extents.Clone();
        _signals = new TaskCompletionSource[extents.Length];
        for (int i = 0; i < _signals.Length; i++) _signals[i] = NewSignal();
    }

    public int Count => _extents.Length;

    public PartitionExtent Get(int partition)
    {
        lock (_gate) return _extents[partition];
    }

    public PartitionExtent[] Snapshot()
    {
        lock (_gate) return (PartitionExtent[])_extents.Clone();
    }

    /// <summary>Publishes a committed extent and wakes the partition's tail readers.</summary>
    public void Publish(int partition, in PartitionExtent extent)
    {
        lock (_gate) _extents[partition] = extent;
        Interlocked.Exchange(ref _signals[partition], NewSignal()).TrySetResult();
    }

    /// <summary>Completes when the partition's next offset passes <paramref name="offset"/>.</summary>
    public async ValueTask WaitBeyondAsync(int partition, long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before reading the extent: a publish in between completes exactly this signal.
            Task signal = Volatile.Read(ref _signals[partition]).Task;
            if (Get(partition).NextOffset > offset) return;
            if (Volatile.Read(ref _closed) is { } closed) throw closed;
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Fails current and future waits (the log is shutting down).</summary>
    public void Close(Exception reason)
    {
        Volatile.Write(ref _closed, reason);
        for (int i = 0; i < _signals.Length; i++) Interlocked.Exchange(ref _signals[i], NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
