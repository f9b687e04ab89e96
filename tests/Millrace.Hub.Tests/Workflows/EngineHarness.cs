using System.Collections.Concurrent;
using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Observability;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Tests.Workflows;

/// <summary>A workflow engine on a temp store with in-test connectors; waits on the engine's commit signal, not on sleeps.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, InstanceStatus> _status = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new();
    private HubTelemetry? _telemetry;

    public EngineHarness(params IConnector[] connectors)
    {
        Directory = Path.Combine(Path.GetTempPath(), "millrace-wf-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(Directory);
        Connectors = connectors.ToDictionary(c => c.Name);
    }

    public string Directory { get; }
    public Dictionary<string, IConnector> Connectors { get; }
    public WorkflowEngine Engine { get; private set; } = null!;
    public SqliteWorkflowStore Store { get; private set; } = null!;
    public SqliteDeadLetterStore? DeadLetters { get; private set; }
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public EngineHarness Start(params WorkflowDefinition[] definitions)
    {
        Store = SqliteWorkflowStore.OpenInDataDirectory(Directory);
        _telemetry ??= new HubTelemetry();
        DeadLetters ??= SqliteDeadLetterStore.Open(Path.Combine(Directory, "hub.db"), _telemetry);
        Engine = WorkflowEngine.Start(new WorkflowEngineOptions
        {
            Store = Store, Definitions = definitions, Connectors = Connectors, DeadLetters = DeadLetters, Time = Time,
        });
        Engine.Committed += changes =>
        {
            foreach (var (id, status) in changes)
            {
                _status[id] = status;
                foreach (var key in _waiters.Keys.Where(k => k.StartsWith(id + "|", StringComparison.Ordinal) && k.EndsWith("|" + status, StringComparison.Ordinal)))
                    if (_waiters.TryRemove(key, out var tcs)) tcs.TrySetResult();
            }
        };
        return this;
    }

    /// <summary>Stops the engine as a crash would (nothing more recorded) and closes the store.</summary>
    public async Task CrashAsync()
    {
        await Engine.AbandonAsync();
        Store.Dispose();
    }

    public async Task StopAsync()
    {
        await Engine.DisposeAsync();
        Store.Dispose();
    }

    public static WorkflowEvent Event(string type, object data, string? id = null)
        => new(id ?? Guid.NewGuid().ToString(), type, "test", DateTimeOffset.UnixEpoch, null,
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", JsonSerializer.SerializeToElement(data));

    /// <summary>Submits the event and returns the id of the instance it starts for <paramref name="workflow"/>.</summary>
    public async Task<string> StartAsync(string workflow, WorkflowEvent e)
    {
        var id = WorkflowKeys.InstanceId(workflow, e.Id);
        var running = WaitFor(id, InstanceStatus.Running);
        await Engine.SubmitAsync(e);
        return id;
    }

    /// <summary>Completes when the instance is committed with <paramref name="status"/> (bounded: 30 s).</summary>
    public async Task WaitForStatusAsync(string id, InstanceStatus status)
    {
        var wait = WaitFor(id, status);
        if (Store.GetInstance(id) is { } row && row.Status == status) return;
        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private Task WaitFor(string id, InstanceStatus status)
        => _waiters.GetOrAdd($"{id}|{Guid.NewGuid():n}|{status}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public InstanceRow Row(string id) => Store.GetInstance(id) ?? throw new InvalidOperationException($"no instance {id}");

    public InstanceState State(string id) => JsonSerializer.Deserialize(Row(id).State, WorkflowJsonContext.Default.InstanceState)!;

    public async ValueTask DisposeAsync()
    {
        try { await Engine.DisposeAsync(); } catch (ObjectDisposedException) { }
        try { Store.Dispose(); } catch (ObjectDisposedException) { }
        if (DeadLetters is not null) await DeadLetters.DisposeAsync();
        _telemetry?.Dispose();
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { }
    }
}
