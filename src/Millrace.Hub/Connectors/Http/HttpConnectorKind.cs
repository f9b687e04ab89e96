using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Core.Expressions;
using Millrace.Core.Model;
using Millrace.Hub.Connectors.Configuration;

namespace Millrace.Hub.Connectors.Http;

/// <summary>
/// <c>kind: http</c>: a REST target described in configuration. Own keys: <c>auth</c> (none, bearer, basic, api-key;
/// the secret comes from <c>credentials</c>), <c>auth-header</c>, <c>headers</c> (mapping), and <c>operations</c>:
/// <code>
/// operations:
///   confirm-production:
///     method: POST
///     path: /production-orders/{input.order}/confirmations
///     query: { plant: input.plant }                        # optional; parameters without a value are left out
///     body: { good: "{input.good}", lot: "{input.lot}" }   # optional; default: the input as it is
///     document: response.confirmation
///     output: response                                      # optional; default: the whole response body
///     conflict: retry                                        # retry | success | fail (what 409 means)
/// </code>
/// </summary>
public sealed class HttpConnectorKind : IConnectorKind
{
    private static readonly ExpressionScope<JsonElement> InputScope = ExpressionScope.ForJson("input");
    private static readonly ExpressionScope<JsonElement> ResponseScope = ExpressionScope.ForJson("response");
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <inheritdoc />
    public string Name => "http";

    /// <inheritdoc />
    public IConnectorSettings? ReadSettings(MappingReader entry, ConfigContext context, string connectorId)
    {
        bool ok = true;
        var authNode = entry.Text("auth");
        var auth = HttpAuthScheme.None;
        if (authNode is not null)
        {
            switch (authNode.Value)
            {
                case "none": break;
                case "bearer": auth = HttpAuthScheme.Bearer; break;
                case "basic": auth = HttpAuthScheme.Basic; break;
                case "api-key": auth = HttpAuthScheme.ApiKey; break;
                default:
                    context.UnknownReference(authNode, "auth scheme", authNode.Value, ["none", "bearer", "basic", "api-key"]);
                    ok = false;
                    break;
            }
            if (auth != HttpAuthScheme.None && !entry.Has("credentials"))
            {
                context.Error(authNode, $"'auth: {authNode.Value}' of {entry.What} needs 'credentials' (env:NAME or file:path) holding the secret");
                ok = false;
            }
        }
        var authHeader = entry.String("auth-header") ?? "X-Api-Key";
        var headers = new List<KeyValuePair<string, string>>();
        if (entry.Mapping("headers", $"headers of {entry.What}") is { } h)
        {
            foreach (var e in h.Node.Entries)
            {
                h.Allow(e.Key.Value);
                if (e.Value is ConfigScalar { IsNull: false } v) headers.Add(new(e.Key.Value, v.Value));
                else { context.Error(e.Value, $"header '{e.Key.Value}' of {entry.What} must be a string"); ok = false; }
                if (e.Key.Value.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    context.Error(e.Key, $"'Authorization' in headers of {entry.What}: secrets are never written in configuration; use 'auth' with 'credentials'");
                    ok = false;
                }
            }
        }
        var operations = new Dictionary<string, HttpOperation>(StringComparer.Ordinal);
        var ops = entry.Mapping("operations", $"operations of {entry.What}", required: true);
        if (ops is not null)
        {
            if (ops.Node.Entries.Count == 0) { context.Error(ops.Location, $"'operations' of {entry.What} needs at least one operation"); ok = false; }
            foreach (var e in ops.Node.Entries)
            {
                ops.Allow(e.Key.Value);
                if (!ModelId.IsValidLocal(e.Key.Value)) { context.Error(e.Key, ModelId.ExplainInvalidLocal(e.Key.Value)); ok = false; continue; }
                if (ReadOperation(e.Key.Value, e.Value, entry.What, context) is { } op) operations[op.Name] = op;
                else ok = false;
            }
        }
        return ok && ops is not null ? new HttpConnectorSettings { Auth = auth, AuthHeader = authHeader, Headers = headers, OperationsByName = operations } : null;
    }

    private static HttpOperation? ReadOperation(string name, ConfigNode node, string owner, ConfigContext context)
    {
        var m = context.ReadMapping(node, $"operation '{name}' of {owner}");
        if (m is null) return null;
        var methodNode = m.Text("method", required: true);
        var pathNode = m.Text("path", required: true);
        var queryNode = m.Mapping("query", $"query of {m.What}");
        var bodyNode = m.Value("body");
        var documentNode = m.Text("document");
        var outputNode = m.Text("output");
        var conflictNode = m.Text("conflict");
        m.Complete();
        if (methodNode is null || pathNode is null) return null;
        bool ok = true;
        var method = methodNode.Value.ToUpperInvariant();
        if (!Methods.Contains(method)) { context.UnknownReference(methodNode, "HTTP method", methodNode.Value, Methods); ok = false; }
        if (!pathNode.Value.StartsWith('/')) { context.Error(pathNode, $"'path' of {m.What} must start with '/', got '{pathNode.Value}'"); ok = false; }
        var path = PathTemplate.Compile(pathNode, InputScope, context, $"'path' of {m.What}");
        JsonTemplate? body = null;
        if (bodyNode is not null && !(bodyNode is ConfigScalar { Value: "input" }))
        {
            if (method is "GET" or "DELETE") { context.Error(bodyNode, $"'body' of {m.What}: {method} requests have no body"); ok = false; }
            else if ((body = JsonTemplate.Compile(bodyNode, InputScope, context, $"'body' of {m.What}")) is null) ok = false;
        }
        var query = new List<(string, Func<JsonElement, object?>)>();
        if (queryNode is not null)
        {
            foreach (var q in queryNode.Node.Entries)
            {
                queryNode.Allow(q.Key.Value);
                if (q.Value is not ConfigScalar { IsNull: false } text) { context.Error(q.Value, $"query parameter '{q.Key.Value}' of {m.What} must be an expression"); ok = false; continue; }
                if (Expression(text, InputScope, context, $"query parameter '{q.Key.Value}' of {m.What}", ref ok) is { } value) query.Add((q.Key.Value, value));
            }
        }
        var document = Expression(documentNode, ResponseScope, context, $"'document' of {m.What}", ref ok);
        var output = Expression(outputNode, ResponseScope, context, $"'output' of {m.What}", ref ok);
        var conflict = ConflictHandling.Retry;
        if (conflictNode is not null)
        {
            switch (conflictNode.Value)
            {
                case "retry": break;
                case "success": conflict = ConflictHandling.Success; break;
                case "fail": conflict = ConflictHandling.Fail; break;
                default: context.UnknownReference(conflictNode, "conflict handling", conflictNode.Value, ["retry", "success", "fail"]); ok = false; break;
            }
        }
        if (!ok || path is null) return null;
        return new HttpOperation
        {
            Name = name, Method = new HttpMethod(method), Path = path, Query = query, Body = body, Document = document, DocumentText = documentNode?.Value,
            Output = output, Conflict = conflict,
        };
    }

    private static Func<JsonElement, object?>? Expression(ConfigScalar? node, ExpressionScope<JsonElement> scope, ConfigContext context, string what, ref bool ok)
    {
        if (node is null) return null;
        try
        {
            return ExpressionCompiler.CompileValue(node.Value, scope);
        }
        catch (ExpressionException e)
        {
            context.Error(node.LocationOf(e.Column - 1), $"{what}: {e.Reason}");
            ok = false;
            return null;
        }
    }

    /// <inheritdoc />
    public IConnector Create(ConnectorDefinition definition, ConnectorEnvironment environment)
        => new HttpConnector(definition, (HttpConnectorSettings)definition.Settings, environment);
}
