using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Millrace.Hub.Connectors.Configuration;

namespace Millrace.Hub.Connectors.Http;

/// <summary>
/// The <c>kind: http</c> connector: renders an operation's path and body from the call's input, sends it with
/// <c>Idempotency-Key</c> and <c>traceparent</c>, and classifies the answer — 2xx succeeded (replayed when the target
/// says <c>Idempotent-Replayed: true</c>); 408, 429, 5xx, timeouts and connection failures retryable (with the
/// target's <c>Retry-After</c>); 409 per the operation's <c>conflict</c>; other 4xx permanent. Resilience is added by
/// the wrapper (<see cref="Resilience.ResilientConnector"/>).
/// </summary>
internal sealed partial class HttpConnector : IConnector
{
    private const int MaxRecordedBody = 4096;
    private readonly HttpClient _client;
    private readonly HttpConnectorSettings _settings;
    private readonly Uri _baseAddress;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string? _apiKey;
    private readonly string? _credentialProblem;
    private readonly TimeProvider _time;

    public HttpConnector(ConnectorDefinition definition, HttpConnectorSettings settings, ConnectorEnvironment environment)
    {
        Name = definition.Id;
        _settings = settings;
        _time = environment.Time;
        _baseAddress = environment.ResolveUrl(definition.Url);
        _client = environment.HttpHandler is { } shared
            ? new HttpClient(shared, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        if (settings.Auth != HttpAuthScheme.None)
        {
            if (definition.Credentials is { } reference && reference.TryResolve(environment.ConfigDirectory, out var secret))
            {
                switch (settings.Auth)
                {
                    case HttpAuthScheme.Bearer: _authorization = new AuthenticationHeaderValue("Bearer", secret); break;
                    case HttpAuthScheme.Basic: _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))); break;
                    case HttpAuthScheme.ApiKey: _apiKey = secret; break;
                }
            }
            else
            {
                _credentialProblem = $"connector '{Name}': the secret {definition.Credentials} cannot be read (variable unset or file unreadable)";
                LogNoCredentials(environment.LoggerFactory.CreateLogger<HttpConnector>(), Name, definition.Credentials?.ToString() ?? "(none)");
            }
        }
    }

    public string Name { get; }

    public string Kind => "http";

    public IReadOnlyCollection<string> Operations => _settings.Operations;

    public async ValueTask<ConnectorResult> InvokeAsync(ConnectorCall call, CancellationToken cancellationToken = default)
    {
        if (!_settings.OperationsByName.TryGetValue(call.Operation, out var op))
            throw new ArgumentException($"connector '{Name}' has no operation '{call.Operation}' (it has: {string.Join(", ", Operations)})", nameof(call));
        if (_credentialProblem is not null) return new ConnectorResult(ConnectorOutcome.Permanent, Reason: _credentialProblem);
        var path = op.Path.Render(call.Input, out var missing);
        if (path is null)
            return new ConnectorResult(ConnectorOutcome.Permanent, Reason: $"{Name}.{op.Name}: the input has no value for {{{missing}}} in path '{op.Path.Text}'");
        if (op.Query.Count > 0)
        {
            var query = new StringBuilder();
            foreach (var (name, value) in op.Query)
                if (PathTemplate.Format(value(call.Input)) is { Length: > 0 } text)
                    query.Append(query.Length == 0 && !path.Contains('?') ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(text));
            path += query.ToString();
        }
        var uri = new Uri(_baseAddress, path.TrimStart('/'));
        using var request = new HttpRequestMessage(op.Method, uri);
        byte[]? body = null;
        if (op.SendsBody)
        {
            body = RenderBody(op, call.Input);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        foreach (var (name, value) in _settings.Headers) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", call.IdempotencyKey);
        if (call.TraceParent is { } traceParent) request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        if (_authorization is not null) request.Headers.Authorization = _authorization;
        if (_apiKey is not null) request.Headers.TryAddWithoutValidation(_settings.AuthHeader, _apiKey);
        string sent = $"{op.Method} {uri}" + (body is null ? "" : "\n" + Truncate(body));

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return new ConnectorResult(ConnectorOutcome.Retryable, Reason: $"{Name}.{op.Name}: cannot reach {uri.GetLeftPart(UriPartial.Authority)}: {e.Message}", Request: sent);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ConnectorResult(ConnectorOutcome.Retryable, Reason: $"{Name}.{op.Name}: the connection was aborted", Request: sent);
        }
        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return Classify(op, response, bytes, sent);
        }
    }

    private static byte[] RenderBody(HttpOperation op, JsonElement input)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (op.Body is { } template) template.Write(writer, input);
            else input.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private ConnectorResult Classify(HttpOperation op, HttpResponseMessage response, byte[] bytes, string sent)
    {
        int status = (int)response.StatusCode;
        string received = $"{status} {response.ReasonPhrase}" + (bytes.Length == 0 ? "" : "\n" + Truncate(bytes));
        if (response.IsSuccessStatusCode || (status == 409 && op.Conflict == ConflictHandling.Success))
        {
            bool replayed = status == 409 || (response.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Any(x => x.Equals("true", StringComparison.OrdinalIgnoreCase)));
            JsonElement body;
            try
            {
                body = bytes.Length == 0 ? EmptyObject : JsonDocument.Parse(bytes).RootElement;
            }
            catch (JsonException e)
            {
                return new ConnectorResult(ConnectorOutcome.Permanent, Reason: $"{Name}.{op.Name}: the answer is not JSON: {e.Message}", StatusCode: status, Request: sent, Response: received);
            }
            var output = op.Output is null ? body : ToElement(op.Output(body));
            var document = op.Document is null ? null : PathTemplate.Format(op.Document(body));
            return new ConnectorResult(ConnectorOutcome.Succeeded, output, document, StatusCode: status, Request: sent, Response: received, Replayed: replayed);
        }
        string reason = $"{Name}.{op.Name}: {status} {response.ReasonPhrase}" + (ProblemDetail(bytes) is { } detail ? ": " + detail : "");
        bool retryable = status is 408 or 429 or >= 500 || (status == 409 && op.Conflict == ConflictHandling.Retry);
        return new ConnectorResult(retryable ? ConnectorOutcome.Retryable : ConnectorOutcome.Permanent, Reason: reason,
            RetryAfter: retryable ? RetryAfter(response) : null, StatusCode: status, Request: sent, Response: received);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    private static string? ProblemDetail(byte[] bytes)
    {
        if (bytes.Length == 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in new[] { "detail", "title", "message", "error" })
                if (doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString();
        }
        catch (JsonException)
        {
        }
        return Truncate(bytes, 200);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private static JsonElement ToElement(object? value)
    {
        if (value is JsonElement e) return e;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case double d: writer.WriteNumberValue(d); break;
                case bool b: writer.WriteBooleanValue(b); break;
                default: writer.WriteStringValue(PathTemplate.Format(value)); break;
            }
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }

    private static string Truncate(byte[] bytes, int max = MaxRecordedBody)
        => bytes.Length <= max ? Encoding.UTF8.GetString(bytes) : Encoding.UTF8.GetString(bytes, 0, max) + "…";

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Connector {Connector}: the secret {Reference} cannot be read; its calls fail permanently until it is set")]
    private static partial void LogNoCredentials(ILogger logger, string connector, string reference);
}
