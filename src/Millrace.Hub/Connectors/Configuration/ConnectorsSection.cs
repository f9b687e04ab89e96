using Millrace.Core.Config;
using Millrace.Core.Model;

namespace Millrace.Hub.Connectors.Configuration;

/// <summary>
/// <c>connectors:</c> — the enterprise systems workflows call (docs/connectors.md):
/// <code>
/// connectors:
///   - id: erp
///     kind: http
///     url: sandbox://erp
///     credentials: env:ERP_TOKEN
///     timeout: 10s
///     rate-limit: { per-second: 50, burst: 20 }
///     concurrency: 8
///     retry: { max-attempts: 6, base-delay: 1s, max-delay: 2m }
///     circuit-breaker: { failure-ratio: 0.5, sampling-duration: 30s, minimum-throughput: 10, break-duration: 30s }
///     maintenance-windows:
///       - { days: [sun], from: "02:00", to: "04:00", zone: Europe/Berlin }
///     operations: { ... }   # the kind's own keys
/// </code>
/// Everything is validated up front with <c>file:line:col</c>. Publishes a <see cref="ConfigCatalog{T}"/> of
/// <see cref="ConnectorDefinition"/> (ids → kinds → operations) so <c>workflows:</c> can check its references.
/// </summary>
public sealed class ConnectorsSection(ConnectorKinds kinds) : ConfigSection
{
    private readonly List<ConfigNode> _items = [];

    /// <summary>A section with the built-in kinds.</summary>
    public ConnectorsSection() : this(ConnectorKinds.CreateDefault())
    {
    }

    /// <inheritdoc />
    public override string Key => "connectors";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context) => _items.AddRange(context.ReadList(value, "connectors"));

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        var definitions = new List<ConnectorDefinition>();
        foreach (var item in _items)
            if (ReadEntry(item, context) is { } d) definitions.Add(d);
        context.Set(new ConfigCatalog<ConnectorDefinition>(definitions, d => d.Id));
    }

    private ConnectorDefinition? ReadEntry(ConfigNode node, ConfigContext context)
    {
        var m = context.ReadMapping(node, "connector");
        if (m is null) return null;
        var id = m.Id();
        if (id is not null) m.What = $"connector '{id.Value}'";
        var kindNode = m.Text("kind", required: true);
        var url = m.Text("url", required: true);
        var credentials = ReadCredentials(m, context);
        var timeout = ConfigDurations.Read(m, "timeout", context);
        var rateLimit = ReadRateLimit(m, context);
        var concurrency = m.Integer("concurrency");
        if (concurrency is < 1 or > 10_000) context.Error(m.LocationOf("concurrency"), $"'concurrency' of {m.What} must be between 1 and 10000, got {concurrency}");
        var retry = ReadRetry(m, context);
        var breaker = ReadBreaker(m, context);
        var windows = MaintenanceWindowReader.ReadAll(m, context);
        bool ok = id is not null && kindNode is not null && url is not null;
        if (url is not null && !IsUsableUrl(url.Value))
        {
            context.Error(url, $"'url' of {m.What} must be an absolute http:// or https:// URL, or sandbox://<system>, got '{url.Value}'");
            ok = false;
        }
        IConnectorSettings? settings = null;
        if (kindNode is not null)
        {
            if (kinds.TryGet(kindNode.Value, out var kind)) settings = kind.ReadSettings(m, context, id?.Value ?? "?");
            else
            {
                context.UnknownReference(kindNode, "connector kind", kindNode.Value, kinds.Names);
                ok = false;
            }
        }
        m.Complete(key => key is "password" or "token" or "secret" or "api-key"
            ? $"'{key}' in {m.What}: secrets are never written in configuration; use 'credentials: env:NAME' or 'credentials: file:path'"
            : null);
        if (id is not null && !context.Declare("connector", id.Value, id.Location, "connector")) ok = false;
        if (!ok || settings is null) return null;
        return new ConnectorDefinition
        {
            Id = id!.Value, Kind = kindNode!.Value, Url = url!.Value, Credentials = credentials, Settings = settings, Location = m.Location,
            Retry = retry ?? new ConnectorRetryOptions(),
            Resilience = new ConnectorResilienceOptions
            {
                Timeout = timeout ?? TimeSpan.FromSeconds(30), RateLimit = rateLimit, Concurrency = (int)(concurrency is >= 1 and <= 10_000 ? concurrency.Value : 16),
                CircuitBreaker = breaker ?? new ConnectorCircuitBreaker(), MaintenanceWindows = windows,
            },
        };
    }

    private static bool IsUsableUrl(string url)
    {
        if (url.StartsWith("sandbox://", StringComparison.Ordinal)) return url.Length > "sandbox://".Length && ModelId.IsValidLocal(url["sandbox://".Length..].TrimEnd('/'));
        return Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && string.IsNullOrEmpty(u.UserInfo);
    }

    private static CredentialReference? ReadCredentials(MappingReader m, ConfigContext context)
    {
        var node = m.Text("credentials");
        if (node is null) return null;
        if (CredentialReference.TryParse(node.Value, out var reference, out var error)) return reference;
        context.Error(node, $"'credentials' of {m.What}: {error}");
        return null;
    }

    private static ConnectorRateLimit? ReadRateLimit(MappingReader m, ConfigContext context)
    {
        var r = m.Mapping("rate-limit", $"rate limit of {m.What}");
        if (r is null) return null;
        var perSecond = r.Number("per-second", required: true);
        var burst = r.Integer("burst");
        var maxWait = ConfigDurations.Read(r, "max-wait", context);
        r.Complete();
        if (perSecond is null) return null;
        if (perSecond is <= 0 or > 1_000_000) { context.Error(r.LocationOf("per-second"), $"'per-second' of {r.What} must be above 0 and at most 1000000, got {perSecond}"); return null; }
        if (burst is < 1 or > 1_000_000) { context.Error(r.LocationOf("burst"), $"'burst' of {r.What} must be between 1 and 1000000, got {burst}"); return null; }
        return new ConnectorRateLimit(perSecond.Value, (int)(burst ?? Math.Max(1, (long)Math.Ceiling(perSecond.Value)))) { MaxWait = maxWait ?? TimeSpan.FromSeconds(2) };
    }

    private static ConnectorRetryOptions? ReadRetry(MappingReader m, ConfigContext context)
    {
        var r = m.Mapping("retry", $"retry of {m.What}");
        if (r is null) return null;
        var attempts = r.Integer("max-attempts");
        var baseDelay = ConfigDurations.Read(r, "base-delay", context);
        var maxDelay = ConfigDurations.Read(r, "max-delay", context);
        r.Complete();
        var d = new ConnectorRetryOptions();
        if (attempts is < 1 or > 1000) { context.Error(r.LocationOf("max-attempts"), $"'max-attempts' of {r.What} must be between 1 and 1000, got {attempts}"); return null; }
        var result = d with { MaxAttempts = (int)(attempts ?? d.MaxAttempts), BaseDelay = baseDelay ?? d.BaseDelay, MaxDelay = maxDelay ?? d.MaxDelay };
        if (result.MaxDelay < result.BaseDelay) { context.Error(r.LocationOf("max-delay"), $"'max-delay' of {r.What} must not be below 'base-delay'"); return null; }
        return result;
    }

    private static ConnectorCircuitBreaker? ReadBreaker(MappingReader m, ConfigContext context)
    {
        var r = m.Mapping("circuit-breaker", $"circuit breaker of {m.What}");
        if (r is null) return null;
        var ratio = r.Number("failure-ratio");
        var sampling = ConfigDurations.Read(r, "sampling-duration", context, TimeSpan.FromMilliseconds(500));
        var throughput = r.Integer("minimum-throughput");
        var brk = ConfigDurations.Read(r, "break-duration", context, TimeSpan.FromMilliseconds(500));
        r.Complete();
        if (ratio is <= 0 or > 1) { context.Error(r.LocationOf("failure-ratio"), $"'failure-ratio' of {r.What} must be above 0 and at most 1, got {ratio}"); return null; }
        if (throughput is < 2 or > 100_000) { context.Error(r.LocationOf("minimum-throughput"), $"'minimum-throughput' of {r.What} must be between 2 and 100000, got {throughput}"); return null; }
        var d = new ConnectorCircuitBreaker();
        return d with
        {
            FailureRatio = ratio ?? d.FailureRatio, SamplingDuration = sampling ?? d.SamplingDuration,
            MinimumThroughput = (int)(throughput ?? d.MinimumThroughput), BreakDuration = brk ?? d.BreakDuration,
        };
    }
}
