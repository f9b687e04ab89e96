using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Millrace.Hub.Connectors;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>
/// The durable workflow engine. One scheduler loop owns every instance in memory and applies commands (events, call
/// results, timers, people's decisions) in groups: each group's state changes, history rows and new outbox rows are
/// written in ONE transaction, and only after that commit are the new commands sent and callers answered. A command
/// therefore never leaves before the state that expects its result is durable, and its result is recorded in a
/// later transaction together with whatever it unblocks. Commands whose result was not recorded (a crash between
/// sending and recording) are still in the outbox at start and are sent again with the same idempotency key.
/// </summary>
public sealed partial class WorkflowEngine : IAsyncDisposable
{
    private readonly WorkflowEngineOptions _options;
    private readonly SqliteWorkflowStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallRunner _runner;
    private readonly Channel<EngineCommand> _commands = Channel.CreateUnbounded<EngineCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _callSlots;
    private readonly Dictionary<string, CompiledWorkflow> _current = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CompiledWorkflow> _revisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkflowInstance> _instances = new(StringComparer.Ordinal);
    private readonly StoreBatch _batch = new();
    private readonly List<OutboxRow> _toSend = [];
    private readonly List<Action> _afterCommit = [];
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private ITimer? _timer;
    private Task _loop = Task.CompletedTask;
    private int _inFlightCalls;
    private long _outboxBacklog;
    private int _disposed;

    private WorkflowEngine(WorkflowEngineOptions options)
    {
        _options = options;
        _store = options.Store;
        _time = options.Time;
        _logger = options.Logger ?? NullLogger.Instance;
        _runner = new CallRunner(_time);
        _callSlots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentCalls));
    }

    /// <summary>The event types that start or advance instances (what a trigger reader needs to hand over).</summary>
    public IReadOnlySet<string> EventTypes { get; private set; } = new HashSet<string>();

    /// <summary>The current workflows by id with the event type that starts each (fixed once the engine has started).</summary>
    public IReadOnlyDictionary<string, string> Triggers { get; private set; } = new Dictionary<string, string>();

    /// <summary>Commands written to the outbox and not yet recorded.</summary>
    public long OutboxBacklog => Interlocked.Read(ref _outboxBacklog);

    /// <summary>Instances held in memory (running, compensating, failed).</summary>
    public int ActiveInstances => Volatile.Read(ref _activeCount);

    private int _activeCount;

    /// <summary>Raised on the engine's loop after each group commit with the instances it wrote and their status
    /// (for the live summary and for specs that wait for a state instead of sleeping).</summary>
    public event Action<IReadOnlyList<(string Id, InstanceStatus Status)>>? Committed;

    /// <summary>The store.</summary>
    public SqliteWorkflowStore Store => _store;

    /// <summary>
    /// Compiles the definitions, stores their revisions, reloads unfinished instances, sends again every command left
    /// in the outbox (same key) and starts the scheduler loop.
    /// </summary>
    public static WorkflowEngine Start(WorkflowEngineOptions options)
    {
        var engine = new WorkflowEngine(options);
        engine.Recover();
        engine._timer = options.Time.CreateTimer(_ => engine._commands.Writer.TryWrite(TickCommand.Instance), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        engine._loop = Task.Run(engine.RunAsync);
        engine.ArmTimer();
        return engine;
    }

    /// <summary>Hands over a business event; completes when the instances it starts and the waits it advances are durable.
    /// Returns how many instances it started or advanced.</summary>
    public Task<int> SubmitAsync(WorkflowEvent e) => SubmitAsync(e, null);

    /// <summary>
    /// As <see cref="SubmitAsync(WorkflowEvent)"/>, but starts only instances of <paramref name="onlyWorkflow"/> (null: every
    /// workflow the event triggers) — a replay for one workflow must not start the others for old events.
    /// </summary>
    public Task<int> SubmitAsync(WorkflowEvent e, string? onlyWorkflow)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new EventCommand(e, done, onlyWorkflow))) done.TrySetException(new ObjectDisposedException(nameof(WorkflowEngine)));
        return done.Task;
    }

    /// <summary>A person approves the pending approval step of an instance.</summary>
    public Task<OperatorResult> ApproveAsync(string instanceId, string by, string? comment, string? step = null) => Operate("approve", instanceId, by, comment, step);

    /// <summary>A person rejects the pending approval step of an instance.</summary>
    public Task<OperatorResult> RejectAsync(string instanceId, string by, string? comment, string? step = null) => Operate("reject", instanceId, by, comment, step);

    /// <summary>A person resumes a failed instance: the failed step (and the steps compensation undid) run again, with new keys.</summary>
    public Task<OperatorResult> ResumeAsync(string instanceId, string? by = null, string? comment = null) => Operate("resume", instanceId, by, comment, null);

    /// <summary>A person cancels an unfinished instance.</summary>
    public Task<OperatorResult> CancelAsync(string instanceId, string? by = null, string? comment = null) => Operate("cancel", instanceId, by, comment, null);

    private Task<OperatorResult> Operate(string action, string id, string? by, string? comment, string? step)
    {
        var done = new TaskCompletionSource<OperatorResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new OperatorCommand(action, id, by, comment, step, done))) done.TrySetException(new ObjectDisposedException(nameof(WorkflowEngine)));
        return done.Task;
    }

    private async Task RunAsync()
    {
        var reader = _commands.Reader;
        var pending = new List<EngineCommand>();
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                pending.Clear();
                while (pending.Count < _options.MaxBatch && reader.TryRead(out var command)) pending.Add(command);
                foreach (var command in pending)
                {
                    try
                    {
                        Apply(command);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A defect in one command (bad data the validation did not catch) must not stop every workflow.
                        LogCommandFailed(_logger, e, command.GetType().Name);
                        Fail(command, e);
                    }
                }
                FireDueTimers();
                FlushDirty();
                try
                {
                    _store.Commit(_batch);
                }
                catch (Exception e)
                {
                    LogCommitFailed(_logger, e);
                    foreach (var command in pending) Fail(command, e);
                    throw;
                }
                AfterCommit();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private static void Fail(EngineCommand command, Exception e)
    {
        switch (command)
        {
            case EventCommand ev: ev.Done.TrySetException(e); break;
            case OperatorCommand op: op.Done.TrySetException(e); break;
        }
    }

    private void AfterCommit()
    {
        Interlocked.Add(ref _outboxBacklog, _batch.Outbox.Count - _batch.OutboxDone.Count);
        if (Committed is { } committed && _batch.Instances.Count > 0)
            committed(_batch.Instances.Values.Select(i => (i.Id, i.Status)).ToList());
        _batch.Clear();
        foreach (var row in _toSend) Send(row);
        _toSend.Clear();
        foreach (var action in _afterCommit) action();
        _afterCommit.Clear();
        foreach (var id in _finished)
            if (_instances.TryGetValue(id, out var i) && i.Status is InstanceStatus.Completed or InstanceStatus.Cancelled)
                Evict(i);
        _finished.Clear();
        Volatile.Write(ref _activeCount, _instances.Count);
        ArmTimer();
    }

    private void Send(OutboxRow row)
    {
        Interlocked.Increment(ref _inFlightCalls);
        _ = Task.Run(async () =>
        {
            try
            {
                var outcome = await SendAsync(row).ConfigureAwait(false);
                _commands.Writer.TryWrite(new CallCompleted(row, outcome));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Shutting down: the row stays in the outbox and is sent again (same key) at the next start.
            }
            finally
            {
                Interlocked.Decrement(ref _inFlightCalls);
            }
        });
    }

    private async Task<CallOutcome> SendAsync(OutboxRow row)
    {
        var started = _time.GetUtcNow();
        if (!_options.Connectors.TryGetValue(row.Connector, out var connector))
            return Immediate(new ConnectorResult(ConnectorOutcome.Permanent, Reason: $"no connector '{row.Connector}' is configured"), started);
        if (!connector.Operations.Contains(row.Operation))
            return Immediate(new ConnectorResult(ConnectorOutcome.Permanent, Reason: $"connector '{row.Connector}' has no operation '{row.Operation}'"), started);
        var retry = RetryOf(row);
        System.Text.Json.JsonElement input;
        using (var doc = System.Text.Json.JsonDocument.Parse(row.Input)) input = doc.RootElement.Clone(); // connectors may keep the input
        await _callSlots.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            return await _runner.RunAsync(connector, row.Operation, input, row.Key, row.TraceParent, retry, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _callSlots.Release();
        }

        CallOutcome Immediate(ConnectorResult r, DateTimeOffset at) => new(r, 1, 0, [], at, at);
    }

    private RetrySettings RetryOf(OutboxRow row)
    {
        // Read on a pool thread: the instance map belongs to the loop, but definitions are immutable once loaded.
        var revision = _rowRevisions.TryGetValue(row.Key, out var r) ? r : null;
        if (revision is not null && _revisions.TryGetValue(revision, out var wf) && wf.Steps.TryGetValue(row.Step, out var step) && step.Step is CallStep call)
            return call.Retry;
        return RetrySettings.Default;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _rowRevisions = new(StringComparer.Ordinal);

    private void ArmTimer()
    {
        if (_timer is null) return;
        if (_timers.TryPeek(out _, out var due))
        {
            var wait = due - _time.GetUtcNow();
            _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Stops without recording anything further, as a crash would: the loop ends, calls in flight are abandoned (their
    /// outbox rows stay), nothing is flushed. For crash-safety specs.
    /// </summary>
    internal async Task AbandonAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _commands.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); } catch (Exception) { }
        _timer?.Dispose();
        while (_commands.Reader.TryRead(out var queued)) Fail(queued, new ObjectDisposedException(nameof(WorkflowEngine)));
    }

    /// <summary>Stops: no new commands; the loop applies what is queued, calls in flight are cancelled (their outbox rows
    /// stay and are sent again with the same key at the next start).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _timer?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        _commands.Writer.TryComplete();
        try { await _loop.ConfigureAwait(false); }
        catch (Exception e) { LogLoopFailed(_logger, e); }
        while (_commands.Reader.TryRead(out var queued)) Fail(queued, new ObjectDisposedException(nameof(WorkflowEngine)));
        for (int i = 0; i < 200 && Volatile.Read(ref _inFlightCalls) > 0; i++) await Task.Delay(10).ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Workflow store commit failed; the engine stops (state is recovered from the store at the next start)")]
    private static partial void LogCommitFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow engine could not apply a {Command}")]
    private static partial void LogCommandFailed(ILogger logger, Exception e, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow engine loop ended with an error")]
    private static partial void LogLoopFailed(ILogger logger, Exception e);
}
