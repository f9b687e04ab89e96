using Microsoft.Extensions.Logging;
using Millrace.Core.Config;
using Millrace.Hub.Connectors.Configuration;

namespace Millrace.Hub.Connectors.Tryton;

/// <summary>
/// <c>kind: tryton</c>: a Tryton 6.0 server over JSON-RPC (docs/connectors.md, "Tryton"). Own keys:
/// <code>
/// - id: erp
///   kind: tryton
///   url: http://127.0.0.1:8000        # the server's root; the database is the first path segment of each call
///   database: erp                      # required
///   user: millrace                     # required: the integration user's login
///   credentials: env:TRYTON_PASSWORD   # required: the user's password (env:NAME or file:path, never the secret)
///   default-supplier: Acme Supplies    # optional: the party of receipts that name no supplier
/// </code>
/// The operations are fixed by the connector (read-production-order, confirm-production, post-goods-receipt,
/// post-goods-movement, create-lot, read-stock); the common keys (timeout, rate-limit, concurrency, retry,
/// circuit-breaker, maintenance-windows) apply as for every kind. The entry's <c>timeout</c> is also the JSON-RPC
/// request timeout, so a hung trytond is a retryable timeout of the connector, not of the resilience wrapper alone.
/// </summary>
public sealed class TrytonConnectorKind : IConnectorKind
{
    /// <inheritdoc />
    public string Name => TrytonConnector.KindName;

    /// <inheritdoc />
    public IConnectorSettings? ReadSettings(MappingReader entry, ConfigContext context, string connectorId)
    {
        var database = entry.Text("database", required: true);
        var user = entry.Text("user", required: true);
        var supplier = entry.String("default-supplier");
        bool ok = database is not null && user is not null;
        if (!entry.Has("credentials"))
        {
            context.Error(entry.Location, $"{entry.What} (kind tryton) needs 'credentials' (env:NAME or file:path) holding the password of user '{user?.Value}'");
            ok = false;
        }
        if (database is not null && (database.Value.Length == 0 || database.Value.Contains('/')))
        {
            context.Error(database, $"'database' of {entry.What} must be a Tryton database name (no '/'), got '{database.Value}'");
            ok = false;
        }
        return ok ? new TrytonConnectorSettings(database!.Value, user!.Value, supplier) : null;
    }

    /// <inheritdoc />
    public IConnector Create(ConnectorDefinition definition, ConnectorEnvironment environment)
    {
        var settings = (TrytonConnectorSettings)definition.Settings;
        if (definition.Url.StartsWith("sandbox://", StringComparison.Ordinal))
            throw new InvalidOperationException($"connector '{definition.Id}' (kind tryton): '{definition.Url}' is a sandbox system, which speaks HTTP/JSON, not Tryton's JSON-RPC; give trytond's URL");
        // Fail at start, not at the first posting: a hub that cannot log in to its ERP should say so before it takes events.
        if (definition.Credentials is not { } reference || !reference.TryResolve(environment.ConfigDirectory, out var password))
            throw new InvalidOperationException($"connector '{definition.Id}' (kind tryton): the password {definition.Credentials} cannot be read (variable unset or file unreadable)");
        var options = new TrytonOptions
        {
            Url = environment.ResolveUrl(definition.Url), Database = settings.Database, User = settings.User, Password = password,
            RequestTimeout = definition.Resilience.Timeout,
            DefaultSupplier = settings.DefaultSupplier ?? TrytonOptions.StandardSupplier,
        };
        var http = environment.HttpHandler is { } shared ? new HttpClient(shared, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan } : null;
        return new TrytonConnector(definition.Id, options, environment.LoggerFactory.CreateLogger<TrytonConnector>(), http);
    }
}

/// <summary>The <c>kind: tryton</c> keys of a connector.</summary>
internal sealed record TrytonConnectorSettings(string Database, string User, string? DefaultSupplier) : IConnectorSettings
{
    private static readonly string[] OperationNames = TrytonConnector.OperationNames;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Operations => OperationNames;
}
