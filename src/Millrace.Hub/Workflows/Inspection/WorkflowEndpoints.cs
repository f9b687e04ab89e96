using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Millrace.Hub.Sources.Http;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Inspection;

/// <summary>
/// The workflow API: <c>GET /api/v1/workflows?status=&amp;definition=&amp;limit=</c>, <c>GET /api/v1/workflows/{id}</c>
/// (steps, history with attempts, timings, outcomes; the trace id), and the people's commands
/// <c>POST /api/v1/workflows/{id}/approve|reject|resume|cancel</c> with <c>{"by": "...", "comment": "..."}</c>.
/// </summary>
public static class WorkflowEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapWorkflowEndpoints(this IEndpointRouteBuilder endpoints, WorkflowEngine engine)
    {
        var store = engine.Store;
        endpoints.MapGet("/api/v1/workflows", async (HttpContext http) =>
        {
            var q = http.Request.Query;
            InstanceStatus? status = null;
            if (q["status"].FirstOrDefault() is { Length: > 0 } s)
            {
                if (!Enum.TryParse<InstanceStatus>(s, ignoreCase: true, out var parsed))
                {
                    await IngestResponses.ProblemAsync(http, 400, "bad-query", "Bad query",
                        $"unknown status '{s}' (running, compensating, failed, completed, cancelled)");
                    return;
                }
                status = parsed;
            }
            int limit = 100;
            if (q["limit"].FirstOrDefault() is { Length: > 0 } l && (!int.TryParse(l, out limit) || limit is < 1 or > 10_000))
            {
                await IngestResponses.ProblemAsync(http, 400, "bad-query", "Bad query", "limit must be 1-10000");
                return;
            }
            var rows = store.ListInstances(status, q["definition"].FirstOrDefault() is { Length: > 0 } d ? d : null, limit);
            var list = new InstanceList(rows.Select(r => WorkflowViews.Summary(r)).ToList(), store.CountByStatus());
            await IngestResponses.JsonAsync(http, 200, list, WorkflowJsonContext.Default.InstanceList);
        });
        endpoints.MapGet("/api/v1/workflows/{id}", async (HttpContext http, string id) =>
        {
            if (store.GetInstance(id) is not { } row)
            {
                await IngestResponses.ProblemAsync(http, 404, "not-found", "Not found", $"no workflow instance '{id}'");
                return;
            }
            var detail = WorkflowViews.Detail(row, store.GetHistory(id), step => engine.KindOf(row.Revision, step));
            await IngestResponses.JsonAsync(http, 200, detail, WorkflowJsonContext.Default.InstanceDetail);
        });
        foreach (var action in new[] { "approve", "reject", "resume", "cancel" })
            endpoints.MapPost($"/api/v1/workflows/{{id}}/{action}", (HttpContext http, string id) => CommandAsync(http, engine, id, action));
        return endpoints;
    }

    /// <summary>Reads the optional <c>{"by","comment","step"}</c> body of a person's command; null after answering 400.</summary>
    internal static async Task<DecisionRequest?> ReadDecisionAsync(HttpContext http)
    {
        DecisionRequest body = new(null, null, null);
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await JsonSerializer.DeserializeAsync(http.Request.Body, WorkflowJsonContext.Default.DecisionRequest, http.RequestAborted) ?? body;
            }
            catch (JsonException e)
            {
                await IngestResponses.ProblemAsync(http, 400, "bad-request", "Bad request", $"body must be {{\"by\": \"...\", \"comment\": \"...\"}}: {e.Message}");
                return null;
            }
        }
        return body;
    }

    private static async Task CommandAsync(HttpContext http, WorkflowEngine engine, string id, string action)
    {
        if (await ReadDecisionAsync(http) is not { } body) return;
        if (action is "approve" or "reject" && string.IsNullOrWhiteSpace(body.By))
        {
            await IngestResponses.ProblemAsync(http, 400, "bad-request", "Bad request", $"a decision needs who takes it: {{\"by\": \"planner@acme\", \"comment\": \"...\"}}");
            return;
        }
        string by = string.IsNullOrWhiteSpace(body.By) ? "api" : body.By;
        var result = action switch
        {
            "approve" => await engine.ApproveAsync(id, by, body.Comment, body.Step),
            "reject" => await engine.RejectAsync(id, by, body.Comment, body.Step),
            "resume" => await engine.ResumeAsync(id, by, body.Comment),
            _ => await engine.CancelAsync(id, by, body.Comment),
        };
        if (result.NotFound)
        {
            await IngestResponses.ProblemAsync(http, 404, "not-found", "Not found", result.Message);
            return;
        }
        await IngestResponses.JsonAsync(http, result.Ok ? 200 : 409, new CommandResponse(id, result.Ok, result.Status, result.Message),
            WorkflowJsonContext.Default.CommandResponse);
    }
}
