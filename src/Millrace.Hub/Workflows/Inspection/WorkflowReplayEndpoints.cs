using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Millrace.Hub.Sources.Http;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Triggers;
using Millrace.Log;

namespace Millrace.Hub.Workflows.Inspection;

/// <summary>
/// <c>POST /api/v1/workflows/replay?from=&lt;offset|time&gt;[&amp;workflow=&lt;id&gt;]</c>: re-drives the log's events through the
/// workflow triggers (<see cref="WorkflowReplay"/>) and answers what it read and started:
/// <c>{"read":…,"matched":…,"started":…,"unreadable":…}</c>.
/// </summary>
public static class WorkflowReplayEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapWorkflowReplayEndpoints(this IEndpointRouteBuilder endpoints, WorkflowEngine engine, IEventLog log)
    {
        endpoints.MapPost("/api/v1/workflows/replay", async (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (q["from"].FirstOrDefault() is not { Length: > 0 } fromText)
            {
                await IngestResponses.ProblemAsync(http, 400, "bad-query", "Bad query", "from is required: a log offset (0) or an ISO 8601 time (2026-11-22T08:00:00Z)");
                return;
            }
            if (ReplayStart.Parse(fromText, out var problem) is not { } from)
            {
                await IngestResponses.ProblemAsync(http, 400, "bad-query", "Bad query", problem!);
                return;
            }
            var workflow = q["workflow"].FirstOrDefault() is { Length: > 0 } w ? w : null;
            if (workflow is not null && !engine.Triggers.ContainsKey(workflow))
            {
                await IngestResponses.ProblemAsync(http, 404, "not-found", "Not found",
                    $"no workflow '{workflow}' (have: {string.Join(", ", engine.Triggers.Keys.Order(StringComparer.Ordinal))})");
                return;
            }
            var result = await WorkflowReplay.RunAsync(log, engine, from, workflow, http.RequestAborted);
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(http.Response.Body);
            json.WriteStartObject();
            json.WriteNumber("read", result.Read);
            json.WriteNumber("matched", result.Matched);
            json.WriteNumber("started", result.Started);
            json.WriteNumber("unreadable", result.Unreadable);
            json.WriteEndObject();
        });
        return endpoints;
    }
}
