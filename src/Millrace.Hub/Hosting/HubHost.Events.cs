using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Log;
using Millrace.Hub.Sources.Http;

namespace Millrace.Hub.Hosting;

public sealed partial class HubHost
{
    /// <summary>
    /// <c>GET /api/v1/events?type=&amp;plant=&amp;from=&amp;follow=true</c>: events of the log as NDJSON (one object a line),
    /// what is there and, with <c>follow=true</c>, new ones as they are appended until the client goes or the hub stops.
    /// <c>GET /api/v1/events/stats</c>: counts per type and plant as NDJSON.
    /// </summary>
    private void MapEventsApi()
    {
        _app.MapGet("/api/v1/events", async (HttpContext http) =>
        {
            var q = http.Request.Query;
            var filter = new EventFilter(q["type"].FirstOrDefault(), q["plant"].FirstOrDefault(), q["from"].FirstOrDefault());
            if (filter.Problem() is { } problem)
            {
                await IngestResponses.ProblemAsync(http, StatusCodes.Status400BadRequest, "invalid-query", "Invalid query", problem, []);
                return;
            }
            bool follow = string.Equals(q["follow"].FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _app.Lifetime.ApplicationStopping);
            http.Response.ContentType = "application/x-ndjson";
            await http.Response.StartAsync(stop.Token);
            try
            {
                await foreach (var view in EventQuery.ReadAsync(Log, filter, follow, stop.Token))
                {
                    await http.Response.WriteAsync(view.ToJson() + "\n", Encoding.UTF8, stop.Token);
                    if (follow) await http.Response.Body.FlushAsync(stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
        _app.MapGet("/api/v1/events/stats", async (HttpContext http) =>
        {
            http.Response.ContentType = "application/x-ndjson";
            foreach (var c in await EventQuery.StatsAsync(Log, http.RequestAborted))
                await http.Response.WriteAsync(c.ToJson() + "\n", Encoding.UTF8, http.RequestAborted);
        });
    }
}
