using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Millrace.Core;
using Millrace.Core.Events;
using Millrace.Hub.Api.Audit;
using Millrace.Hub.Api.Clients;
using Millrace.Hub.Api.Idempotency;
using Millrace.Hub.Api.Identity;
using Millrace.Hub.Api.RateLimiting;
using Millrace.Hub.Api.Versions;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Hosting;
using Millrace.Hub.Observability;
using Millrace.Hub.Sources.Http;

namespace Millrace.Hub.Api;

/// <summary>
/// The governed path every capability request takes: lifecycle (410 for a retired version, deprecation headers),
/// identity (401), scope (403), rate limit (429); for commands then the <c>Idempotency-Key</c>, body limits, JSON
/// depth, the API's own authorisation and rules, the event schema through the <see cref="AdmissionGate"/> (the same
/// gate as HTTP ingest), the append, the stored answer, the audit record and the 202. Metrics per client, API and
/// status.
/// </summary>
public sealed class ApiGateway : IDisposable
{
    private readonly ApiSettings _settings;
    private readonly ApiAuthenticator _authenticator;
    private readonly ApiRateLimiter _limiter;
    private readonly IdempotencyStore _idempotency;
    private readonly ApiAuditStore _audit;
    private readonly AdmissionGate _gate;
    private readonly TimeProvider _time;
    private readonly Governance.SchemaRegistry _registry;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    /// <summary>A gateway over the given stores and gate.</summary>
    public ApiGateway(ApiSettings settings, ApiCatalogue catalogue, ApiAuthenticator authenticator, ApiRateLimiter limiter,
        IdempotencyStore idempotency, ApiAuditStore audit, AdmissionGate gate, Governance.SchemaRegistry registry, HubTelemetry telemetry, TimeProvider time)
    {
        _registry = registry;
        _settings = settings;
        Catalogue = catalogue;
        _authenticator = authenticator;
        _limiter = limiter;
        _idempotency = idempotency;
        _audit = audit;
        _gate = gate;
        _time = time;
        _meter = new Meter(new MeterOptions("Millrace.Api") { Scope = telemetry });
        _requests = _meter.CreateCounter<long>("millrace.api.requests", "{request}", "Capability API requests, by client, API and status.");
        _duration = _meter.CreateHistogram<double>("millrace.api.request.duration", "s", "Capability API request duration, by API.");
    }

    /// <summary>The API catalogue.</summary>
    public ApiCatalogue Catalogue { get; }

    /// <summary>The audit trail.</summary>
    public ApiAuditStore Audit => _audit;

    /// <summary>
    /// Lifecycle, identity, scope and rate limit for a request to <paramref name="apiId"/>; the caller, or null after
    /// the refusal was written.
    /// </summary>
    public async ValueTask<ApiCaller?> AdmitCallerAsync(HttpContext http, string apiId, string scope)
    {
        var api = Catalogue[apiId];
        if (api.Lifecycle.State == ApiLifecycleState.Retired)
        {
            if (api.Lifecycle.Successor is { } next) http.Response.Headers.Append("Link", $"<{next}>; rel=\"successor-version\"");
            await ApiProblems.WriteAsync(http, 410, "retired", "API version retired",
                $"{api.Id} is retired{(api.Lifecycle.Successor is { } s ? $"; use {s}" : "")}");
            return null;
        }
        api.Lifecycle.WriteHeaders(http.Response);
        var (caller, failure) = await _authenticator.AuthenticateAsync(http.Request).ConfigureAwait(false);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = ApiAuthenticator.Challenge(failure!);
            await ApiProblems.WriteAsync(http, 401, "unauthenticated", "Unauthenticated", failure!.Description);
            return null;
        }
        http.Items["millrace.api.client"] = caller.Client.Id;
        if (!caller.Has(scope))
        {
            await ApiProblems.ForbiddenAsync(http, $"client '{caller.Client.Id}' lacks scope '{scope}'");
            return null;
        }
        if (!_limiter.TryAcquire(caller.Client, api.Id, http.Response))
        {
            await ApiProblems.WriteAsync(http, 429, "rate-limited", "Too many requests",
                $"client '{caller.Client.Id}' spent its budget of {caller.Client.RateLimit.Requests} requests per {caller.Client.RateLimit.Window.TotalSeconds:0.###} s on {api.Id}");
            return null;
        }
        return caller;
    }

    /// <summary>Records the request metric (call once per request, after the answer is decided).</summary>
    public void Count(HttpContext http, string apiId, long started)
    {
        var client = http.Items.TryGetValue("millrace.api.client", out var c) ? (string)c! : "(anonymous)";
        _requests.Add(1, new("client", client), new("api", apiId), new("status", http.Response.StatusCode));
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("api", apiId));
    }

    /// <summary>Carries out one command request (see the class summary for the order of checks).</summary>
    public async Task HandleCommandAsync(HttpContext http, CommandSpec spec)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await HandleCommandCoreAsync(http, spec).ConfigureAwait(false);
        }
        finally
        {
            Count(http, spec.ApiId, started);
        }
    }

    private async Task HandleCommandCoreAsync(HttpContext http, CommandSpec spec)
    {
        var caller = await AdmitCallerAsync(http, spec.ApiId, spec.Scope).ConfigureAwait(false);
        if (caller is null) return;
        string? key = http.Request.Headers["Idempotency-Key"];
        if (string.IsNullOrEmpty(key))
        {
            await ApiProblems.WriteAsync(http, 400, "idempotency-key-missing", "Idempotency-Key required",
                "every POST needs an Idempotency-Key header (a unique value per intended operation, e.g. a UUID)");
            return;
        }
        if (key.Length > 128 || key.Any(ch => ch < 0x21 || ch > 0x7e))
        {
            await ApiProblems.WriteAsync(http, 400, "idempotency-key-invalid", "Invalid Idempotency-Key",
                "the Idempotency-Key must be 1 to 128 visible ASCII characters");
            return;
        }
        if (http.Request.ContentType is not { } ct || !ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await ApiProblems.WriteAsync(http, 415, "unsupported-media-type", "Unsupported media type", "send the command as application/json");
            return;
        }
        var reader = http.Request.BodyReader;
        var (buffer, tooLarge) = await RequestBody.ReadAsync(reader, _settings.MaxBodyBytes, http.RequestAborted).ConfigureAwait(false);
        byte[] body = tooLarge ? [] : System.Buffers.BuffersExtensions.ToArray(buffer);
        reader.AdvanceTo(buffer.End);
        if (tooLarge)
        {
            await ApiProblems.WriteAsync(http, 413, "payload-too-large", "Payload too large", $"command bodies are limited to {_settings.MaxBodyBytes} bytes");
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = _settings.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            string detail = e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"the body nests deeper than {_settings.MaxJsonDepth} levels"
                : $"the body is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
            await ApiProblems.WriteAsync(http, 400, "malformed-json", "Malformed JSON", detail, [new ProblemError("", detail)]);
            return;
        }
        using (document)
        {
            string hash = RequestHash(http.Request, body);
            var (decision, stored) = _idempotency.Begin(caller.Client.Id, key, hash);
            switch (decision)
            {
                case IdempotencyDecision.Replay:
                    await ReplayAsync(http, stored!).ConfigureAwait(false);
                    return;
                case IdempotencyDecision.Mismatch:
                    await ApiProblems.WriteAsync(http, 422, "idempotency-key-reused", "Idempotency-Key reused",
                        "this Idempotency-Key was already used for a different request; use a new key for a new operation");
                    return;
                case IdempotencyDecision.InFlight:
                    http.Response.Headers.RetryAfter = "1";
                    await ApiProblems.WriteAsync(http, 409, "idempotency-key-in-flight", "Request in progress",
                        "a request with this Idempotency-Key is still being processed; retry to receive its answer");
                    return;
            }
            bool completed = false;
            try
            {
                completed = await ExecuteAsync(http, spec, caller, key, body, document.RootElement, hash).ConfigureAwait(false);
            }
            finally
            {
                if (!completed) _idempotency.Abandon(caller.Client.Id, key);
            }
        }
    }

    private async Task<bool> ExecuteAsync(HttpContext http, CommandSpec spec, ApiCaller caller, string key, byte[] body, JsonElement root, string hash)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            await ApiProblems.WriteAsync(http, 400, "validation-failed", "Invalid command", "the body must be a JSON object",
                [new ProblemError("", "must be a JSON object")]);
            return false;
        }
        if (ResolveType(spec.EventType) is not { } eventType)
        {
            await ApiProblems.WriteAsync(http, 503, "event-type-unregistered", "Event type not registered",
                $"no schema registry subject ends with '{spec.EventType}'; the hub's schemas: section must declare it");
            return false;
        }
        var decision = spec.Decide(http, caller, root);
        string requestId = RequestId(caller.Client.Id, key);
        var parent = TraceParentFormat.TryParse(http.Request.Headers.TraceParent, out var ctx) ? ctx : default;
        using var activity = HubTelemetry.IngestSource.StartActivity("api " + spec.ApiId, ActivityKind.Server, parent);
        string? traceParent = TraceParentFormat.From(activity ?? Activity.Current);
        var e = new CloudEvent
        {
            Id = requestId, Source = "/api/" + spec.ApiId, Type = eventType, Subject = decision.Subject, Time = _time.GetUtcNow(),
            DataContentType = "application/json", DataKind = CloudEventDataKind.Json, Data = body, Plant = decision.Plant, TraceParent = traceParent,
        };
        var verdict = _gate.Check(e);
        var violations = decision.Violations.Concat(verdict.Admitted ? [] : verdict.Errors.Select(ToBodyError)).ToList();
        if (violations.Count > 0)
        {
            await ApiProblems.WriteAsync(http, 400, "validation-failed", "Invalid command",
                $"{violations.Count} violation(s) of {spec.ApiId} and its event schema {eventType}; nothing was appended", violations);
            return false;
        }
        // Shape first, then authority: a malformed plant id is reported as such, not as "another plant".
        if (decision.Forbidden is { } why)
        {
            await ApiProblems.ForbiddenAsync(http, why);
            return false;
        }
        var result = await _gate.AdmitAsync(EventSubmission.From("api:" + spec.ApiId, e, activity?.TraceId.ToString()), http.RequestAborted).ConfigureAwait(false);
        if (!result.Admitted)
        {
            await ApiProblems.WriteAsync(http, 422, "not-admitted", "Command not admitted",
                $"the event was refused by the admission gate ({result.Verdict.Reason}) and quarantined as item {result.QuarantineId}",
                result.Verdict.Errors.Select(ToBodyError).ToList());
            return false;
        }
        string statusUrl = "/api/v1/requests/" + requestId;
        var answer = new CommandAccepted(requestId, "appended", eventType, result.Position?.ToString(), statusUrl, activity?.TraceId.ToString());
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(answer, ApiJsonContext.Http.CommandAccepted);
        var now = _time.GetUtcNow();
        _idempotency.Complete(caller.Client.Id, key, new StoredResponse(hash, 202, statusUrl, json, now));
        _audit.Record(new ApiAuditRecord(0, now, caller.Client.Id, http.Request.Method, http.Request.Path, 202, requestId, eventType,
            answer.Position, answer.TraceId, key));
        http.Response.StatusCode = 202;
        http.Response.ContentType = "application/json";
        http.Response.Headers.Location = statusUrl;
        await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
        return true;
    }

    /// <summary>The registry subject whose name ends with <paramref name="suffix"/> (<c>supplier.asn.received.v1</c> is
    /// <c>com.acme.supplier.asn.received.v1</c> in the Acme catalogue), or null.</summary>
    public string? ResolveType(string suffix)
    {
        if (_types.TryGetValue(suffix, out var known)) return known;
        var match = _registry.ListSubjects().Select(s => s.Name).FirstOrDefault(s => s == suffix || s.EndsWith("." + suffix, StringComparison.Ordinal));
        if (match is not null) _types[suffix] = match;
        return match;
    }

    private static ProblemError ToBodyError(AdmissionError e) =>
        new(e.InstanceLocation.StartsWith("/data", StringComparison.Ordinal) ? e.InstanceLocation[5..] : e.InstanceLocation,
            e.KeywordLocation.Length == 0 ? e.Message : $"{e.Message} ({e.KeywordLocation})");

    private static async Task ReplayAsync(HttpContext http, StoredResponse stored)
    {
        http.Response.StatusCode = stored.Status;
        http.Response.ContentType = "application/json";
        if (stored.Location is not null) http.Response.Headers.Location = stored.Location;
        await http.Response.Body.WriteAsync(stored.Body, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The event (and request) id of a command: derived from client and key, so even a retry that slips past
    /// the key store (a crash between append and store) appends an event with the same id, which consumers dedupe.</summary>
    private static string RequestId(string clientId, string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(clientId + "\n" + key), hash);
        return "req-" + Convert.ToHexStringLower(hash[..16]);
    }

    private static string RequestHash(HttpRequest request, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(request.Method + " " + request.Path + "\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _meter.Dispose();
        _limiter.Dispose();
        _idempotency.Dispose();
        _audit.Dispose();
    }
}
