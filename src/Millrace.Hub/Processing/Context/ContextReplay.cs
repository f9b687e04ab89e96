using Millrace.Core.Events;
using Millrace.Log;

namespace Millrace.Hub.Processing.Context;

/// <summary>
/// Rebuilds production context after a restart by reading the context events (<see cref="ContextEvents"/>) back from
/// the durable log. The log keeps each record's type beside its payload, so only context events are parsed.
/// </summary>
public static class ContextReplay
{
    private const int PageSize = 1024;

    /// <summary>Applies every context event retained in <paramref name="log"/> to <paramref name="context"/>; returns how many were applied.</summary>
    public static async Task<long> RebuildAsync(IEventLog log, EnterpriseContextSource context, CancellationToken cancellationToken = default)
    {
        long applied = 0;
        var errors = new List<CloudEventError>();
        for (int p = 0; p < log.PartitionCount; p++)
        {
            var info = await log.GetPartitionInfoAsync(p, cancellationToken).ConfigureAwait(false);
            long offset = info.StartOffset;
            while (offset < info.NextOffset)
            {
                var page = await log.ReadAsync(p, offset, PageSize, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0) break;
                foreach (var entry in page)
                {
                    if (!ContextEvents.IsContextType(entry.Record.Type)) continue;
                    errors.Clear();
                    if (CloudEventJsonReader.TryParse(entry.Record.Payload.Span, out var e, errors) && context.Apply(e!)) applied++;
                }
                offset = page[^1].Position.Offset + 1;
            }
        }
        return applied;
    }
}
