using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Millrace.Hub.Connectors.Tryton;

/// <summary>
/// A JSON-RPC client for trytond 6.0, hand-rolled on <see cref="HttpClient"/> because Tryton wants the envelope exactly
/// <c>{"id","method","params"}</c> (with <c>"jsonrpc":"2.0"</c> it answers bare results and HTML errors). Logs in with
/// <c>common.db.login</c> and sends <c>Authorization: Session base64(login:uid:key)</c>; an expired session (HTTP 401)
/// is logged in again once, transparently. Every model call gets the user's company as context (Tryton requires the
/// context as the last parameter and does not fill in the company itself). Failures are thrown as
/// <see cref="TrytonRpcException"/> already classified retryable or permanent. Safe to call concurrently.
/// </summary>
public sealed class TrytonJsonRpcClient : IDisposable
{
    private const int MaxRecorded = 2048;
    private readonly TrytonOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private long _nextId;
    private volatile Session? _session;

    private sealed record Session(string Header, int UserId, int Company);

    /// <summary>Creates a client; <paramref name="http"/> defaults to one owned by the client.</summary>
    public TrytonJsonRpcClient(TrytonOptions options, HttpClient? http = null)
    {
        _options = options;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var root = options.Url.ToString().TrimEnd('/');
        _endpoint = new Uri($"{root}/{Uri.EscapeDataString(options.Database)}/");
    }

    /// <summary>The company id of the logged-in user (after the first call).</summary>
    public int Company => _session?.Company ?? 0;

    /// <summary>How many logins this client made (the first one and each re-login after an expired session).</summary>
    public int Logins { get; private set; }

    /// <summary>Forgets the session key so the next call logs in again (tests use it with an invalidated key).</summary>
    internal void SetSessionKeyForTest(string key)
    {
        var s = _session ?? throw new InvalidOperationException("not logged in");
        _session = s with { Header = "Session " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.User}:{s.UserId}:{key}")) };
    }

    /// <summary>
    /// Calls <c>model.&lt;model&gt;.&lt;method&gt;</c> with <paramref name="args"/> followed by the context
    /// (<c>{"company": …}</c> plus <paramref name="context"/>, e.g. <c>locations</c> for stock quantities) and returns the result.
    /// </summary>
    public async Task<JsonElement> CallAsync(string model, string method, JsonArray args, JsonObject? context = null,
        CancellationToken cancellationToken = default)
    {
        var session = _session ?? await LoginAsync(null, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var body = new JsonArray();
            foreach (var a in args)
                body.Add(a?.DeepClone());
            var ctx = (JsonObject?)context?.DeepClone() ?? new JsonObject();
            ctx["company"] = session.Company;
            body.Add(ctx);
            var (status, response, request) = await PostAsync($"model.{model}.{method}", body, session.Header, cancellationToken)
                .ConfigureAwait(false);
            if (status == HttpStatusCode.Unauthorized && attempt == 0)
            {
                // the session key expired (idle timeout) or the server forgot it: log in again and repeat once
                session = await LoginAsync(session, cancellationToken).ConfigureAwait(false);
                continue;
            }
            return Interpret(status, response, request);
        }
    }

    /// <summary>
    /// Calls a workflow button and, when Tryton answers with a warning that <paramref name="accept"/> approves, acknowledges
    /// it (a <c>res.user.warning</c> record for this user, used once) and calls again, as the Tryton client does when
    /// its user clicks "Yes". Any other warning stays a permanent error.
    /// </summary>
    public async Task<JsonElement> CallAcceptingWarningAsync(string model, string method, JsonArray args, Func<string, bool> accept,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync(model, method, args, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (TrytonRpcException e) when (e is { ErrorClass: "UserWarning", WarningName: { } name } && accept(e.Message))
        {
            await CallAsync("res.user.warning", "create", new JsonArray(new JsonArray(new JsonObject
            {
                ["user"] = _session!.UserId, ["name"] = name, ["always"] = false,
            })), cancellationToken: cancellationToken).ConfigureAwait(false);
            return await CallAsync(model, method, args, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Session> LoginAsync(Session? expired, CancellationToken cancellationToken)
    {
        await _loginLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _session;
            if (current is not null && !ReferenceEquals(current, expired))
                return current; // another caller logged in meanwhile
            var parameters = new JsonArray(_options.User, new JsonObject { ["password"] = _options.Password }, "en");
            var (status, response, _) = await PostAsync("common.db.login", parameters, null, cancellationToken).ConfigureAwait(false);
            const string loginRequest = "common.db.login [user, {password: ***}]"; // never record the password
            if (status == HttpStatusCode.Unauthorized)
                throw new TrytonRpcException($"Tryton refused the login of user '{_options.User}' on database '{_options.Database}' (wrong password or user)",
                    retryable: false, "LoginException", 401, request: loginRequest, response: Truncate(response));
            var result = Interpret(status, response, loginRequest);
            var userId = result[0].GetInt32();
            var key = result[1].GetString()!;
            var header = "Session " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.User}:{userId}:{key}"));
            var prefs = await PostAsync("model.res.user.get_preferences", new JsonArray(true, new JsonObject()), header, cancellationToken)
                .ConfigureAwait(false);
            var preferences = Interpret(prefs.Status, prefs.Body, prefs.Request);
            var company = preferences.TryGetProperty("company", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
            if (company == 0)
                throw new TrytonRpcException($"Tryton user '{_options.User}' has no current company; set one in the user's preferences",
                    retryable: false, "UserError");
            Logins++;
            return _session = new Session(header, userId, company);
        }
        finally
        {
            _loginLock.Release();
        }
    }

    private async Task<(HttpStatusCode Status, string Body, string Request)> PostAsync(string method, JsonArray parameters,
        string? authorization, CancellationToken cancellationToken)
    {
        var envelope = new JsonObject
        {
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = parameters,
        };
        var json = envelope.ToJsonString();
        var recorded = method == "common.db.login" ? "common.db.login [user, {password: ***}]" : Truncate(json);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        try
        {
            using var response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                || (int)response.StatusCode >= 500)
            {
                throw new TrytonRpcException($"Tryton answered HTTP {(int)response.StatusCode} to {method}", retryable: true,
                    statusCode: (int)response.StatusCode, retryAfter: RetryAfter(response.Headers.RetryAfter),
                    request: recorded, response: Truncate(body));
            }
            return (response.StatusCode, body, recorded);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TrytonRpcException($"Tryton did not answer {method} within {_options.RequestTimeout.TotalSeconds:0.#} s",
                retryable: true, request: recorded, inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new TrytonRpcException($"cannot reach Tryton at {_endpoint}: {e.Message}", retryable: true, request: recorded, inner: e);
        }
    }

    private JsonElement Interpret(HttpStatusCode status, string body, string request)
    {
        if (status != HttpStatusCode.OK)
        {
            var why = status switch
            {
                HttpStatusCode.Unauthorized => "the session was refused after a fresh login",
                HttpStatusCode.Forbidden => "the model or method does not exist or is not callable over RPC",
                HttpStatusCode.NotFound => $"database '{_options.Database}' does not exist",
                _ => "unexpected HTTP status",
            };
            throw new TrytonRpcException($"Tryton answered HTTP {(int)status}: {why}", retryable: false,
                statusCode: (int)status, request: request, response: Truncate(body));
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new TrytonRpcException("Tryton answered with a body that is not JSON", retryable: false, statusCode: 200,
                request: request, response: Truncate(body), inner: e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
                throw Classify(error, request, Truncate(body));
            if (!root.TryGetProperty("result", out var result))
                throw new TrytonRpcException("Tryton's answer has neither result nor error", false, statusCode: 200, request: request, response: Truncate(body));
            return result.Clone();
        }
    }

    /// <summary>Maps Tryton's error array (<c>[class, args]</c>, or <c>[message, ""]</c> for other exceptions) to retryable or permanent.</summary>
    internal static TrytonRpcException Classify(JsonElement error, string request, string response)
    {
        string name = "", message = "";
        if (error.ValueKind == JsonValueKind.Array && error.GetArrayLength() > 0)
        {
            name = error[0].ValueKind == JsonValueKind.String ? error[0].GetString()! : error[0].ToString();
            var args = error.GetArrayLength() > 1 ? error[1] : default;
            message = name switch
            {
                // UserWarning args are [warning name, message, description]
                "UserWarning" when args.ValueKind == JsonValueKind.Array && args.GetArrayLength() > 1 => Text(args[1]),
                _ when args.ValueKind == JsonValueKind.Array && args.GetArrayLength() > 0 => Text(args[0]),
                _ when args.ValueKind == JsonValueKind.String => args.GetString()!,
                _ => "",
            };
        }
        else
        {
            name = error.ToString();
        }
        switch (name)
        {
            case "UserWarning":
                return new TrytonRpcException($"Tryton UserWarning: {message}", retryable: false, name, 200, request: request, response: response)
                {
                    WarningName = error[1].ValueKind == JsonValueKind.Array && error[1].GetArrayLength() > 0 ? Text(error[1][0]) : null,
                };
            case "UserError" or "AccessError" or "LoginException":
                return new TrytonRpcException($"Tryton {name}: {message}", retryable: false, name, 200, request: request, response: response);
            case "ConcurrencyException":
                return new TrytonRpcException($"Tryton ConcurrencyException: {message}", retryable: true, name, 200, request: request, response: response);
            case "RateLimitException":
                return new TrytonRpcException("Tryton RateLimitException", retryable: true, name, 429, request: request, response: response);
        }
        // Any other exception comes back as [str(exception), traceback-or-empty]: the class name is lost, so the text
        // decides. A locked SQLite database or a serialisation failure clears up on a retry; the rest will not.
        var text = name + (message.Length > 0 ? ": " + message : "");
        var transient = text.Contains("locked", StringComparison.OrdinalIgnoreCase)
            || text.Contains("concurrent", StringComparison.OrdinalIgnoreCase)
            || text.Contains("could not serialize", StringComparison.OrdinalIgnoreCase);
        return new TrytonRpcException($"Tryton error: {text}", transient, null, 200, request: request, response: response);
    }

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString();

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
        => header?.Delta ?? (header?.Date is { } at ? at - DateTimeOffset.UtcNow : null);

    private static string Truncate(string s) => s.Length <= MaxRecorded ? s : string.Concat(s.AsSpan(0, MaxRecorded), "…");

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
        _loginLock.Dispose();
    }
}
