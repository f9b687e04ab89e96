using System.Collections.Concurrent;
using System.Text;
using Millrace.Core.Events;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Triggers;
using Millrace.Log;
using Millrace.Log.Sqlite;
using static Millrace.Hub.Tests.Workflows.Defs;

namespace Millrace.Hub.Tests.Workflows;

/// <summary>
/// The engine and its trigger reader are abandoned (as a crash would leave them: nothing further recorded, no
/// checkpoint) at seeded random moments while 200 instances run from the log, and restarted on the same files.
/// The process-level version with SIGKILL is the integration chaos test; this one runs in-process in seconds.
/// </summary>
public sealed class WorkflowCrashLoopSpecs
{
    private const string Completed = "com.acme.production.completed.v1";

    [Fact]
    public async Task Repeated_crashes_leave_every_instance_finished_and_one_document_per_business_fact()
    {
        const int Instances = 200;
        var random = new Random(20261122);
        var erp = new RecordingConnector("erp", "confirm-production", "post-goods-receipt", "set-batch-status");
        int calls = 0;
        var crashPoint = new TaskCompletionSource();
        int crashAt = random.Next(50, 150);
        erp.AfterCreate = async _ =>
        {
            if (Interlocked.Increment(ref calls) >= Volatile.Read(ref crashAt)) crashPoint.TrySetResult();
            await Task.Yield();
        };
        var definition = Workflow("completion", 1, Completed,
            Call("confirm", "erp.confirm-production", In(("order", "{event.data.orderId}"))),
            Call("receipt", "erp.post-goods-receipt", In(("order", "{event.data.orderId}"))),
            Call("batch", "erp.set-batch-status", In(("order", "{event.data.orderId}"))));

        await using var h = new EngineHarness(erp);
        await using var log = SqliteEventLog.Open(new SqliteEventLogOptions { Path = Path.Combine(h.Directory, "log.db"), PartitionCount = 4 });
        var ids = new List<string>();
        for (int i = 0; i < Instances; i++)
        {
            var e = new CloudEvent
            {
                Id = $"fact-{i}", Source = "urn:test", Type = Completed, DataKind = CloudEventDataKind.Json,
                Data = Encoding.UTF8.GetBytes($"{{\"orderId\":\"PO-{i}\"}}"),
            };
            await log.AppendAsync(new LogRecord($"line-{i % 7}", e.Id, e.Type, DateTimeOffset.UnixEpoch, CloudEventJsonWriter.Serialize(e)));
            ids.Add(WorkflowKeys.InstanceId("completion", e.Id));
        }

        int crashes = random.Next(3, 6);
        for (int crash = 0; crash <= crashes; crash++)
        {
            h.Start(definition);
            var reader = WorkflowTriggerReader.Start(log, h.Engine);
            if (crash == crashes)
            {
                foreach (var id in ids) await h.WaitForStatusAsync(id, InstanceStatus.Completed);
                await reader.DisposeAsync();
                break;
            }
            await crashPoint.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await h.CrashAsync();
            await reader.DisposeAsync();
            crashPoint = new TaskCompletionSource();
            Volatile.Write(ref crashAt, Volatile.Read(ref calls) + random.Next(20, 120));
        }

        Assert.All(ids, id => Assert.Equal(InstanceStatus.Completed, h.Row(id).Status));
        // One key per business fact (order x operation), so the target holds exactly one document per fact.
        var keysPerFact = erp.Calls.GroupBy(c => (Order: c.Input.GetProperty("order").GetString(), c.Operation))
            .ToDictionary(g => g.Key, g => g.Select(c => c.IdempotencyKey).Distinct().Count());
        Assert.Equal(Instances * 3, keysPerFact.Count);
        Assert.All(keysPerFact, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(Instances * 3, erp.Documents.Count);
        Assert.True(erp.Calls.Count > Instances * 3, $"crashes interrupted facts between sent and recorded ({erp.Calls.Count} calls for {Instances * 3} facts)");
    }
}
