using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Millrace.Core.Events;
using Millrace.Hub.Workflows.Engine;
using Millrace.Log;

namespace Millrace.Hub.Workflows.Triggers;

/// <summary>
/// Feeds the workflow engine from the event log as consumer group <see cref="Group"/>: one reader per partition reads
/// a page, hands the events whose type starts or advances a workflow to the engine, waits until the engine has made
/// their effect durable, and only then commits the partition's checkpoint. A crash before the checkpoint re-reads
/// the page; the engine's deterministic instance ids (workflow + event id) make the second start a no-op.
/// </summary>
public sealed partial class WorkflowTriggerReader : IAsyncDisposable
{
    /// <summary>The consumer group name in the log.</summary>
    public const string Group = "workflows";

    private readonly IEventLog _log;
    private readonly WorkflowEngine _engine;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _readers;
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);
    private long _handed;

    private WorkflowTriggerReader(IEventLog log, WorkflowEngine engine, ILogger? logger)
    {
        _log = log;
        _engine = engine;
        _logger = logger ?? NullLogger.Instance;
        _readers = new Task[log.PartitionCount];
    }

    /// <summary>Events handed to the engine so far.</summary>
    public long Handed => Interlocked.Read(ref _handed);

    /// <summary>Starts one reader per partition.</summary>
    public static WorkflowTriggerReader Start(IEventLog log, WorkflowEngine engine, ILogger? logger = null)
    {
        var reader = new WorkflowTriggerReader(log, engine, logger);
        for (int p = 0; p < log.PartitionCount; p++)
        {
            int partition = p;
            reader._readers[p] = Task.Run(() => reader.FollowAsync(partition));
        }
        return reader;
    }

    /// <summary>Follows one partition; a failure is logged and the reader starts again from its checkpoint after a pause
    /// (starting instances is idempotent), so one bad moment never silently stops a partition's workflows.</summary>
    private async Task FollowAsync(int partition)
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested && await FollowOnceAsync(partition, ct).ConfigureAwait(false))
        {
            try { await Task.Delay(RestartDelay, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Reads until stopped (false) or until it fails (true: try again).</summary>
    private async Task<bool> FollowOnceAsync(int partition, CancellationToken ct)
    {
        var types = _engine.EventTypes;
        try
        {
            long next = (await _log.GetCheckpointAsync(Group, partition, ct).ConfigureAwait(false)).NextOffset;
            var pending = new List<Task<int>>();
            while (!ct.IsCancellationRequested)
            {
                var page = await _log.ReadAsync(partition, next, 512, ct).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    await _log.WaitForAppendAsync(partition, next, ct).ConfigureAwait(false);
                    continue;
                }
                pending.Clear();
                foreach (var entry in page)
                {
                    if (entry.Record.Type is not { } type || !types.Contains(type)) continue;
                    CloudEvent e;
                    try
                    {
                        e = CloudEventJsonReader.Parse(entry.Record.Payload.Span);
                    }
                    catch (CloudEventFormatException ex)
                    {
                        LogUnreadable(_logger, entry.Record.Id, partition, entry.Position.Offset, ex.Message);
                        continue;
                    }
                    pending.Add(_engine.SubmitAsync(WorkflowEvent.From(e)));
                }
                if (pending.Count > 0) await Task.WhenAll(pending).WaitAsync(ct).ConfigureAwait(false);
                Interlocked.Add(ref _handed, pending.Count);
                next = page[^1].Position.Offset + 1;
                await _log.CommitCheckpointAsync(Group, partition, next, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            LogReaderFailed(_logger, e, partition);
            return true;
        }
        return false;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_readers).ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow trigger skipped unreadable event {EventId} at {Partition}:{Offset}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string eventId, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow trigger reader of partition {Partition} failed; it starts again from its checkpoint")]
    private static partial void LogReaderFailed(ILogger logger, Exception e, int partition);
}
