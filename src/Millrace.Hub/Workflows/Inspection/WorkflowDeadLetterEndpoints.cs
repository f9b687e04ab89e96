using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Sources.Http;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Store;

namespace Millrace.Hub.Workflows.Inspection;

/// <summary>
/// <c>POST /api/v1/dead-letters/{id}/resubmit</c> with <c>{"by": "...", "comment": "..."}</c>: after the cause of a
/// workflow's permanent failure is fixed (the product created in the ERP, the stock posted), the dead letter the
/// failure left is resubmitted — its instance resumes and the failed step runs again with the same idempotency key, so
/// the document is created once even if the failed attempt got half-way. Telemetry dead letters have no instance to
/// resume (they are fixed and sent again at their source); quarantined events have their own resubmit.
/// </summary>
public static class WorkflowDeadLetterEndpoints
{
    /// <summary>The dead-letter source prefix of workflow failures (<c>workflow:{definition}</c>).</summary>
    public const string SourcePrefix = "workflow:";

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapWorkflowDeadLetterEndpoints(this IEndpointRouteBuilder endpoints, WorkflowEngine engine, SqliteDeadLetterStore deadLetters)
    {
        endpoints.MapPost("/api/v1/dead-letters/{id:long}/resubmit", (HttpContext http, long id) => ResubmitAsync(http, engine, deadLetters, id));
        return endpoints;
    }

    private static async Task ResubmitAsync(HttpContext http, WorkflowEngine engine, SqliteDeadLetterStore deadLetters, long id)
    {
        if (await WorkflowEndpoints.ReadDecisionAsync(http) is not { } body) return;
        if (await deadLetters.GetAsync(id, http.RequestAborted) is not { } letter)
        {
            await IngestResponses.ProblemAsync(http, 404, "not-found", "Not found", $"no dead letter {id}");
            return;
        }
        if (!letter.Source.StartsWith(SourcePrefix, StringComparison.Ordinal) || InstanceOf(letter) is not { } instance)
        {
            await IngestResponses.ProblemAsync(http, 409, "not-resubmittable", "Not resubmittable",
                $"dead letter {id} came from '{letter.Source}', not from a workflow: telemetry dead letters are corrected and sent again at their source; quarantined events are resubmitted with POST /api/v1/quarantine/{{id}}/resubmit");
            return;
        }
        var by = string.IsNullOrWhiteSpace(body.By) ? "api" : body.By;
        var result = await engine.ResumeAsync(instance, by, $"resubmitted dead letter {id}" + (body.Comment is { Length: > 0 } c ? ": " + c : ""));
        if (result.NotFound)
        {
            await IngestResponses.ProblemAsync(http, 404, "not-found", "Not found", $"dead letter {id}: {result.Message}");
            return;
        }
        await IngestResponses.JsonAsync(http, result.Ok ? 200 : 409, new CommandResponse(instance, result.Ok, result.Status, result.Message),
            WorkflowJsonContext.Default.CommandResponse);
    }

    private static string? InstanceOf(DeadLetter letter)
    {
        try
        {
            using var doc = JsonDocument.Parse(letter.Payload);
            return doc.RootElement.TryGetProperty("instance", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
