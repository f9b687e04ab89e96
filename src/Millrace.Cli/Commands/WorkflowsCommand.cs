using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace workflows list|show|approve|reject|resume|cancel</c> over a running hub's HTTP API (<c>--url</c>, else
/// <c>MILLRACE_URL</c>, else http://127.0.0.1:5080), like <c>millrace dlq</c>: the hub owns <c>workflows.db</c> and
/// every decision must go through its engine. Exit codes: 0 done, 1 refused or not found, 2 usage error or hub unreachable.
/// </summary>
internal static class WorkflowsCommand
{
    public static Command Create() => new("workflows", "Workflow instances of a running hub: list, show (steps, attempts, timings, trace), approve, reject, resume, cancel.")
    {
        CreateList(), CreateShow(), CreateAction("approve", "Approve the pending approval step."), CreateAction("reject", "Reject the pending approval step."),
        CreateAction("resume", "Resume a failed instance: its failed step runs again."), CreateAction("cancel", "Cancel an unfinished instance."),
    };

    private static Option<string?> UrlOption() => new("--url") { Description = "The running hub (default: MILLRACE_URL, else http://127.0.0.1:5080)." };

    private static Command CreateList()
    {
        var url = UrlOption();
        var status = new Option<string?>("--status") { Description = "running, compensating, failed, completed or cancelled." };
        var definition = new Option<string?>("--definition") { Description = "Only instances of this workflow id." };
        var limit = new Option<int>("--limit") { Description = "At most this many.", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List instances, most recently changed first, with counts by status.") { url, status, definition, limit };
        command.SetAction(async (parse, ct) =>
        {
            var q = $"limit={parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)}";
            if (parse.GetValue(status) is { } s) q += "&status=" + Uri.EscapeDataString(s);
            if (parse.GetValue(definition) is { } d) q += "&definition=" + Uri.EscapeDataString(d);
            var (code, body) = await SendAsync(parse.GetValue(url), HttpMethod.Get, "/api/v1/workflows?" + q, null, ct);
            if (code != HttpStatusCode.OK) return Problem(code, body);
            var counts = body.GetProperty("counts").EnumerateObject().Select(p => $"{p.Name.ToLowerInvariant()} {p.Value.GetInt64()}");
            Console.Out.WriteLine(string.Join(", ", counts) is { Length: > 0 } c ? c : "no instances");
            foreach (var i in body.GetProperty("items").EnumerateArray())
                Console.Out.WriteLine($"{i.GetProperty("id").GetString()}  {i.GetProperty("status").GetString(),-12} {i.GetProperty("workflow").GetString()} v{i.GetProperty("version").GetInt32()}  " +
                    $"{string.Join(",", i.GetProperty("current").EnumerateArray().Select(x => x.GetString()))}  {Str(i, "error")}");
            return 0;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var url = UrlOption();
        var id = new Argument<string>("id") { Description = "Instance id." };
        var json = new Option<bool>("--json") { Description = "Print the hub's JSON answer as is." };
        var command = new Command("show", "Show an instance: its steps and history with attempts, timings, outcomes, documents and trace id.") { url, id, json };
        command.SetAction(async (parse, ct) =>
        {
            var (code, body) = await SendAsync(parse.GetValue(url), HttpMethod.Get, "/api/v1/workflows/" + Uri.EscapeDataString(parse.GetValue(id)!), null, ct);
            if (code != HttpStatusCode.OK) return Problem(code, body);
            if (parse.GetValue(json)) { Console.Out.WriteLine(body.GetRawText()); return 0; }
            var i = body.GetProperty("instance");
            Console.Out.WriteLine($"{i.GetProperty("id").GetString()}  {i.GetProperty("workflow").GetString()} v{i.GetProperty("version").GetInt32()}  " +
                $"{i.GetProperty("status").GetString()}  key {i.GetProperty("key").GetString()}  trace {Str(i, "traceId") ?? "-"}");
            if (Str(i, "error") is { } error) Console.Out.WriteLine("error: " + error);
            foreach (var s in body.GetProperty("steps").EnumerateArray())
                Console.Out.WriteLine($"  {s.GetProperty("step").GetString(),-16} {s.GetProperty("kind").GetString(),-9} {s.GetProperty("status").GetString(),-11} " +
                    $"attempts {s.GetProperty("attempts").GetInt32()}  {Ms(s)}  {Str(s, "documentId") ?? ""} {Str(s, "reason") ?? ""}");
            Console.Out.WriteLine("history:");
            foreach (var h in body.GetProperty("history").EnumerateArray())
                Console.Out.WriteLine($"  {h.GetProperty("finishedAt").GetDateTimeOffset():HH:mm:ss.fff}  {h.GetProperty("step").GetString(),-16} {h.GetProperty("kind").GetString(),-10} " +
                    $"{h.GetProperty("outcome").GetString(),-20} {Ms(h)}  {Str(h, "documentId") ?? ""} {Str(h, "reason") ?? ""}");
            return 0;
        });
        return command;
    }

    private static Command CreateAction(string action, string description)
    {
        var url = UrlOption();
        var id = new Argument<string>("id") { Description = "Instance id." };
        var by = new Option<string?>("--by") { Description = "Who decides (required to approve or reject)." };
        var comment = new Option<string?>("--comment") { Description = "Why." };
        var command = new Command(action, description) { url, id, by, comment };
        command.SetAction(async (parse, ct) =>
        {
            var body = JsonContent.Create(new Dictionary<string, string?> { ["by"] = parse.GetValue(by) ?? Environment.UserName, ["comment"] = parse.GetValue(comment) });
            var (code, answer) = await SendAsync(parse.GetValue(url), HttpMethod.Post, $"/api/v1/workflows/{Uri.EscapeDataString(parse.GetValue(id)!)}/{action}", body, ct);
            if (code != HttpStatusCode.OK) return Problem(code, answer);
            Console.Out.WriteLine($"{answer.GetProperty("message").GetString()} (status {Str(answer, "status")})");
            return 0;
        });
        return command;
    }

    private static string Ms(JsonElement e) => e.TryGetProperty("durationMs", out var d) && d.ValueKind == JsonValueKind.Number ? $"{d.GetDouble():0.#} ms" : "";

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static int Problem(HttpStatusCode code, JsonElement body)
    {
        if (code == 0) return 2;
        Console.Error.WriteLine(Str(body, "detail") ?? Str(body, "message") ?? $"the hub answered {(int)code}");
        return code is HttpStatusCode.NotFound or HttpStatusCode.Conflict ? 1 : 2;
    }

    internal static async Task<(HttpStatusCode, JsonElement)> SendAsync(string? hub, HttpMethod method, string path, HttpContent? content, CancellationToken ct,
        TimeSpan? timeout = null)
    {
        hub ??= Environment.GetEnvironmentVariable("MILLRACE_URL") ?? "http://127.0.0.1:5080";
        using var http = new HttpClient { BaseAddress = new Uri(hub), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, path) { Content = content }, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            Console.Error.WriteLine($"cannot reach the hub at {hub}: {e.Message}");
            return (0, default);
        }
    }
}
