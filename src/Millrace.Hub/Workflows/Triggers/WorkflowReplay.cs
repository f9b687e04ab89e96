using System.Globalization;
using Millrace.Core.Events;
using Millrace.Log;
using Millrace.Hub.Workflows.Engine;

namespace Millrace.Hub.Workflows.Triggers;

/// <summary>Where a replay starts: an offset (the same in every partition) or a time (records appended to the log at or after it).</summary>
public readonly record struct ReplayStart(long? Offset, DateTimeOffset? Time)
{
    /// <summary>
    /// Parses <c>--from</c>: a non-negative integer offset, or an ISO 8601 time with an offset or <c>Z</c>.
    /// Null with a reason when it is neither.
    /// </summary>
    public static ReplayStart? Parse(string text, out string? problem)
    {
        problem = null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)) return new ReplayStart(offset, null);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && text.Contains('T', StringComparison.Ordinal))
            return new ReplayStart(null, time);
        problem = $"--from must be a log offset (0, 1200) or an ISO 8601 time (2026-11-22T08:00:00Z), got '{text}'";
        return null;
    }
}

/// <summary>What a replay did.</summary>
/// <param name="Read">Log records read.</param>
/// <param name="Matched">Records whose type starts the replayed workflow(s).</param>
/// <param name="Started">Instances started (events that had none yet); the rest already had theirs and were left alone.</param>
/// <param name="Unreadable">Records that are not CloudEvents (skipped, as the trigger reader does).</param>
public sealed record ReplayResult(long Read, long Matched, long Started, long Unreadable);

/// <summary>
/// <c>millrace replay</c>: re-drives the log's events from an offset or a time through the workflow triggers. The instance
/// id is derived from (workflow, event id), so an event that already started its instance starts nothing again, and a
/// step that runs again sends the same idempotency key: a replay creates no duplicate document. Its use: events the
/// triggers did not hand over (a workflow deployed after them, one that was disabled, a consumer checkpoint moved past
/// them), optionally for one workflow only. It reads the log directly and leaves the trigger reader's checkpoint alone.
/// </summary>
public static class WorkflowReplay
{
    /// <summary>Replays every partition from <paramref name="from"/>; <paramref name="workflow"/> null: every workflow.</summary>
    public static async Task<ReplayResult> RunAsync(IEventLog log, WorkflowEngine engine, ReplayStart from, string? workflow, CancellationToken ct)
    {
        var types = workflow is null ? engine.Triggers.Values.ToHashSet(StringComparer.Ordinal) : [engine.Triggers[workflow]];
        long read = 0, matched = 0, started = 0, unreadable = 0;
        var pending = new List<Task<int>>();
        for (int partition = 0; partition < log.PartitionCount; partition++)
        {
            long next = from.Time is { } t ? await log.FindOffsetAsync(partition, t, ct).ConfigureAwait(false) : from.Offset ?? 0;
            while (true)
            {
                var page = await log.ReadAsync(partition, next, 512, ct).ConfigureAwait(false);
                if (page.Count == 0) break;
                pending.Clear();
                foreach (var entry in page)
                {
                    read++;
                    if (entry.Record.Type is not { } type || !types.Contains(type)) continue;
                    CloudEvent e;
                    try { e = CloudEventJsonReader.Parse(entry.Record.Payload.Span); }
                    catch (CloudEventFormatException) { unreadable++; continue; }
                    matched++;
                    pending.Add(engine.SubmitAsync(WorkflowEvent.From(e), workflow));
                }
                foreach (var n in await Task.WhenAll(pending).WaitAsync(ct).ConfigureAwait(false)) started += n;
                next = page[^1].Position.Offset + 1;
            }
        }
        return new ReplayResult(read, matched, started, unreadable);
    }
}
