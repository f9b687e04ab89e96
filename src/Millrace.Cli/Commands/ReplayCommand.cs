using System.CommandLine;
using System.Net;
using Millrace.Hub.Workflows.Triggers;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace replay --from &lt;offset|time&gt; [--workflow &lt;id&gt;]</c>: re-drives a running hub's log through its workflow
/// triggers (<c>POST /api/v1/workflows/replay</c>). Events that already started their instance start nothing; steps
/// that run again carry the same idempotency keys, so no document is created twice.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "The running hub (default: MILLRACE_URL, else http://127.0.0.1:5080)." };
        var from = new Option<string>("--from") { Description = "A log offset (the same in every partition, e.g. 0) or an ISO 8601 time (2026-11-22T08:00:00Z).", Required = true };
        var workflow = new Option<string?>("--workflow") { Description = "Only this workflow (default: every workflow the events trigger)." };
        var command = new Command("replay", "Re-drive the log's events from an offset or a time through the workflow triggers, with no duplicates.") { url, from, workflow };
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(from)!;
            if (ReplayStart.Parse(text, out var problem) is null) { Console.Error.WriteLine(problem); return 2; }
            var path = $"/api/v1/workflows/replay?from={Uri.EscapeDataString(text)}"
                + (parse.GetValue(workflow) is { Length: > 0 } w ? $"&workflow={Uri.EscapeDataString(w)}" : "");
            var (code, body) = await WorkflowsCommand.SendAsync(parse.GetValue(url), HttpMethod.Post, path, null, ct, TimeSpan.FromMinutes(30));
            if (code != HttpStatusCode.OK) return WorkflowsCommand.Problem(code, body);
            Console.Out.WriteLine($"replayed: {body.GetProperty("read").GetInt64()} records read, {body.GetProperty("matched").GetInt64()} trigger events, "
                + $"{body.GetProperty("started").GetInt64()} instances started (the others had theirs), {body.GetProperty("unreadable").GetInt64()} unreadable");
            return 0;
        });
        return command;
    }
}
