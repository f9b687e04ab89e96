using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace dlq list|show|resubmit|discard</c>: the operator's view of refused items, over a running hub's HTTP API
/// (<c>--url</c>, else <c>MILLRACE_URL</c>, else http://127.0.0.1:5080). The hub owns its SQLite stores, and a
/// resubmission must pass the hub's own gate (registry, rules) and append to its log, so the CLI never opens the data
/// folder itself. Quarantined business events by default; <c>--dead-letters</c> lists and shows telemetry dead letters.
/// Exit codes: 0 done (resubmission admitted), 1 refused (still quarantined, not found, not open), 2 usage error or
/// hub unreachable.
/// </summary>
internal static class DlqCommand
{
    private const int Refused = 1;
    private const int UsageError = 2;

    public static Command Create() => new("dlq", "Quarantined events and dead letters of a running hub: list, show, correct and resubmit, discard.")
    {
        CreateList(),
        CreateShow(),
        CreateResubmit(),
        CreateDiscard(),
    };

    private static Option<string?> UrlOption() => new("--url") { Description = "The running hub (default: MILLRACE_URL, else http://127.0.0.1:5080)." };

    private static Option<bool> DeadLettersOption() => new("--dead-letters") { Description = "Telemetry dead letters instead of quarantined events." };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print the hub's JSON answer as is." };

    private static Command CreateList()
    {
        var url = UrlOption();
        var deadLetters = DeadLettersOption();
        var json = JsonOption();
        var status = new Option<string?>("--status") { Description = "open (default), resubmitted, discarded or all." };
        var source = new Option<string?>("--source") { Description = "Only from this source id (http:/ingest/events, an MQTT source id, rule:<id>)." };
        var type = new Option<string?>("--type") { Description = "Only of this event type." };
        var reason = new Option<string?>("--reason") { Description = "Only of this reason class: envelope, unknown-type, unknown-schema, schema, rule, reference, scope." };
        var limit = new Option<int>("--limit") { Description = "At most this many (1-1000).", DefaultValueFactory = _ => 50 };
        var before = new Option<long?>("--before") { Description = "Only ids below this one (the next page)." };
        var command = new Command("list", "List quarantined events (newest first) or, with --dead-letters, dead letters.")
            { url, deadLetters, json, status, source, type, reason, limit, before };
        command.SetAction(async (parse, ct) =>
        {
            bool letters = parse.GetValue(deadLetters);
            var query = new List<string> { "limit=" + parse.GetValue(limit).ToString(CultureInfo.InvariantCulture) };
            void Add(string name, string? value) { if (value is not null) query.Add($"{name}={Uri.EscapeDataString(value)}"); }
            Add("source", parse.GetValue(source));
            if (!letters)
            {
                Add("status", parse.GetValue(status));
                Add("type", parse.GetValue(type));
                Add("reason", parse.GetValue(reason));
            }
            Add("before", parse.GetValue(before)?.ToString(CultureInfo.InvariantCulture));
            var answer = await SendAsync(parse.GetValue(url), HttpMethod.Get, $"/api/v1/{(letters ? "dead-letters" : "quarantine")}?{string.Join("&", query)}", null, null, ct);
            if (answer is not { } a) return UsageError;
            if (a.Status != HttpStatusCode.OK) return PrintProblem(a.Body, UsageError);
            if (parse.GetValue(json)) { Console.Out.WriteLine(a.Text); return 0; }
            var items = a.Body.EnumerateArray().ToList();
            if (items.Count == 0) { Console.Out.WriteLine(letters ? "no dead letters" : "no quarantined events"); return 0; }
            foreach (var item in items)
            {
                string when = item.GetProperty("storedAt").GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                Console.Out.WriteLine(letters
                    ? $"{item.GetProperty("id").GetInt64(),6}  {when}  {item.GetProperty("source").GetString()}  {item.GetProperty("reason").GetString()}"
                    : $"{item.GetProperty("id").GetInt64(),6}  {when}  {item.GetProperty("status").GetString(),-11}  {item.GetProperty("source").GetString()}  " +
                      $"{Text(item, "type") ?? "(no type)"}  {Text(item, "eventId") ?? "(no id)"}  {item.GetProperty("reason").GetString()}");
            }
            if (a.Next is { } next) Console.Out.WriteLine($"more: --before {next}");
            return 0;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var url = UrlOption();
        var deadLetters = DeadLettersOption();
        var json = JsonOption();
        var id = new Argument<long>("id") { Description = "The item id (from list)." };
        var command = new Command("show", "Show one item: errors, raw payload, source, time, trace.") { id, url, deadLetters, json };
        command.SetAction(async (parse, ct) =>
        {
            bool letters = parse.GetValue(deadLetters);
            var answer = await SendAsync(parse.GetValue(url), HttpMethod.Get, $"/api/v1/{(letters ? "dead-letters" : "quarantine")}/{parse.GetValue(id)}", null, null, ct);
            if (answer is not { } a) return UsageError;
            if (a.Status != HttpStatusCode.OK) return PrintProblem(a.Body, a.Status == HttpStatusCode.NotFound ? Refused : UsageError);
            if (parse.GetValue(json)) { Console.Out.WriteLine(a.Text); return 0; }
            var item = a.Body;
            foreach (var field in new[] { "id", "status", "source", "type", "eventId", "storedAt", "traceId", "reasonClass", "reason", "pointer", "attempts", "resolvedBy", "resolution" })
                if (item.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
                    Console.Out.WriteLine($"{field + ":",-13}{(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())}");
            if (item.TryGetProperty("errors", out var errors))
            {
                Console.Out.WriteLine("errors:");
                foreach (var e in errors.EnumerateArray()) Console.Out.WriteLine("  " + FormatError(e));
            }
            Console.Out.WriteLine("payload:");
            Console.Out.WriteLine(Pretty(item.GetProperty("payload").GetString() ?? ""));
            return 0;
        });
        return command;
    }

    private static Command CreateResubmit()
    {
        var url = UrlOption();
        var id = new Argument<long>("id") { Description = "The quarantined event's id (or, with --dead-letters, the workflow dead letter's id)." };
        var file = new Option<string?>("--file") { Description = "The corrected event (one CloudEvent, JSON); without it the stored payload is resubmitted as is (after a schema or rule fix)." };
        var by = new Option<string?>("--by") { Description = "Who resubmits (recorded with the item; default: the user name)." };
        var deadLetters = DeadLettersOption();
        deadLetters.Description = "A workflow's dead letter (source workflow:<name>): after the cause is fixed, its instance resumes and the failed step runs again with the same idempotency key.";
        var command = new Command("resubmit", "Put a quarantined event through the gate again, corrected or as is; or, with --dead-letters, resume the workflow a dead letter came from. Exit 0 when admitted/resumed, 1 when refused.") { id, url, file, by, deadLetters };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(deadLetters))
            {
                if (parse.GetValue(file) is not null) { Console.Error.WriteLine("--file applies to quarantined events; a workflow dead letter is resubmitted as it is, after its cause is fixed"); return UsageError; }
                var request = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["by"] = parse.GetValue(by) ?? Environment.UserName }, CliJsonContext.Default.DictionaryStringString);
                var resumed = await SendAsync(parse.GetValue(url), HttpMethod.Post, $"/api/v1/dead-letters/{parse.GetValue(id)}/resubmit", request, parse.GetValue(by), ct, "application/json");
                if (resumed is not { } r) return UsageError;
                if (r.Status == HttpStatusCode.OK)
                {
                    Console.Out.WriteLine($"resumed: workflow instance {r.Body.GetProperty("id").GetString()} of dead letter {parse.GetValue(id)} ({r.Body.GetProperty("message").GetString()})");
                    return 0;
                }
                return PrintProblem(r.Body, r.Status is HttpStatusCode.Conflict or HttpStatusCode.NotFound ? Refused : UsageError);
            }
            byte[]? corrected = null;
            if (parse.GetValue(file) is { } path)
            {
                try { corrected = File.ReadAllBytes(path); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    Console.Error.WriteLine($"{path}: cannot read: {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}");
                    return UsageError;
                }
            }
            var answer = await SendAsync(parse.GetValue(url), HttpMethod.Post, $"/api/v1/quarantine/{parse.GetValue(id)}/resubmit", corrected, parse.GetValue(by), ct);
            if (answer is not { } a) return UsageError;
            if (a.Status == HttpStatusCode.OK)
            {
                Console.Out.WriteLine($"admitted: quarantined event {parse.GetValue(id)} is in the log at {a.Body.GetProperty("position").GetString()}");
                return 0;
            }
            return PrintProblem(a.Body, a.Status is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict or HttpStatusCode.NotFound ? Refused : UsageError);
        });
        return command;
    }

    private static Command CreateDiscard()
    {
        var url = UrlOption();
        var id = new Argument<long>("id") { Description = "The quarantined event's id." };
        var reason = new Option<string>("--reason") { Description = "Why it is dropped (recorded with the item).", Required = true };
        var by = new Option<string?>("--by") { Description = "Who discards (default: the user name)." };
        var command = new Command("discard", "Drop a quarantined event, with a reason; it stays listed as discarded.") { id, url, reason, by };
        command.SetAction(async (parse, ct) =>
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["reason"] = parse.GetValue(reason)! }, CliJsonContext.Default.DictionaryStringString);
            var answer = await SendAsync(parse.GetValue(url), HttpMethod.Post, $"/api/v1/quarantine/{parse.GetValue(id)}/discard", body, parse.GetValue(by), ct, "application/json");
            if (answer is not { } a) return UsageError;
            if (a.Status == HttpStatusCode.OK) { Console.Out.WriteLine($"discarded: quarantined event {parse.GetValue(id)}"); return 0; }
            return PrintProblem(a.Body, a.Status is HttpStatusCode.Conflict or HttpStatusCode.NotFound ? Refused : UsageError);
        });
        return command;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string FormatError(JsonElement e)
    {
        string at = Text(e, "instanceLocation") is { Length: > 0 } p ? p : "/";
        string keyword = Text(e, "keywordLocation") is { Length: > 0 } k ? $" ({k})" : "";
        return $"{at}{keyword}: {Text(e, "error")}";
    }

    private static string Pretty(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, CliJsonContext.Indented.JsonElement);
        }
        catch (JsonException)
        {
            return json; // kept verbatim: it may be what was wrong
        }
    }

    private static int PrintProblem(JsonElement body, int exitCode)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                foreach (var e in errors.EnumerateArray())
                    Console.Out.WriteLine(e.TryGetProperty("instanceLocation", out _) ? FormatError(e) : $"{Text(e, "pointer")}: {Text(e, "detail")}");
            if (Text(body, "detail") is { } detail) Console.Out.WriteLine($"refused: {detail}");
        }
        return exitCode;
    }

    private readonly record struct Answer(HttpStatusCode Status, JsonElement Body, string Text, string? Next);

    /// <summary>One request to the hub; null (after printing why) when it cannot be reached or answers non-JSON.</summary>
    private static async Task<Answer?> SendAsync(string? hub, HttpMethod method, string path, byte[]? body, string? by, CancellationToken ct,
        string contentType = "application/cloudevents+json")
    {
        hub ??= Environment.GetEnvironmentVariable("MILLRACE_URL") ?? "http://127.0.0.1:5080";
        if (!Uri.TryCreate(hub, UriKind.Absolute, out var baseUri)) { Console.Error.WriteLine($"--url: '{hub}' is not an absolute URL"); return null; }
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Millrace-Operator", by ?? Environment.UserName);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        try
        {
            using var response = await http.SendAsync(request, ct);
            string text = await response.Content.ReadAsStringAsync(ct);
            string? next = null;
            if (response.Headers.TryGetValues("Link", out var links) && links.FirstOrDefault() is { } link && link.LastIndexOf("before=", StringComparison.Ordinal) is var at and >= 0)
                next = new string(link[(at + 7)..].TakeWhile(char.IsAsciiDigit).ToArray());
            try
            {
                using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
                return new Answer(response.StatusCode, doc.RootElement.Clone(), text, next);
            }
            catch (JsonException)
            {
                Console.Error.WriteLine($"{hub}: answered {(int)response.StatusCode} without JSON: {text[..Math.Min(200, text.Length)]}");
                return null;
            }
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"{hub}: cannot reach the hub: {ex.Message}");
            return null;
        }
    }
}

/// <summary>Source-generated JSON for the CLI's own bodies.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
    /// <summary>Indented output, relaxed escaping (payloads read as sent).</summary>
    public static CliJsonContext Indented { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
