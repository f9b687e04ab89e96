using Millrace.Core.Config;
using Millrace.Core.Model;
using Millrace.Hub.Api.Versions;

namespace Millrace.Hub.Api.Clients;

/// <summary>
/// <c>api-clients:</c> — the callers of the capability APIs:
/// <code>
/// api-clients:
///   - id: mes-plant-01
///     kind: plant               # plant | partner | application
///     scopes: [production:write, production:read, inventory:read]
///     plants: [plant-01]
///     rate-limit: { requests: 200, per-seconds: 1 }
///   - id: supplier-0042
///     kind: partner
///     scopes: [asn:write, requests:read]
///     suppliers: [SUP-0042]
/// </code>
/// Ids are unique; every scope is one the APIs know; plants must be declared in <c>plants:</c>; a partner names at
/// least one supplier. Errors point at <c>file:line:col</c>. Publishes (part of) <see cref="ApiSettings"/>.
/// </summary>
public sealed class ApiClientsSection : ConfigSection
{
    /// <summary>Scopes the capability APIs check.</summary>
    public static readonly IReadOnlyList<string> KnownScopes =
    [
        "production:write", "production:read", "inventory:write", "inventory:read", "asn:write", "maintenance:write",
        "quality:write", "assets:read", "requests:read", "audit:read",
    ];

    private readonly List<ConfigNode> _items = [];

    /// <inheritdoc />
    public override string Key => "api-clients";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context) => _items.AddRange(context.ReadList(value, "API clients"));

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        var clients = new Dictionary<string, ApiClient>(StringComparer.Ordinal);
        var plants = context.Get<EnterpriseModel>()?.Sites.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var item in _items)
            if (ReadClient(item, context, plants) is { } client) clients[client.Id] = client;
        context.Set((context.Get<ApiSettings>() ?? new ApiSettings()) with { Clients = clients });
    }

    private static ApiClient? ReadClient(ConfigNode node, ConfigContext context, HashSet<string>? plants)
    {
        var m = context.ReadMapping(node, "API client");
        if (m is null) return null;
        var id = m.Id();
        if (id is not null) m.What = $"API client '{id.Value}'";
        var kindText = m.Text("kind");
        var scopes = m.TextList("scopes", required: true);
        var plantList = m.TextList("plants");
        var supplierList = m.TextList("suppliers");
        var limit = m.Mapping("rate-limit", "rate limit");
        long? requests = limit?.Integer("requests", required: true);
        double? perSeconds = limit?.Number("per-seconds");
        limit?.Complete();
        m.Complete();
        if (id is null) return null;
        bool ok = context.Declare("api-client", id.Value, id.Location, "API client");
        var kind = ApiClientKind.Application;
        if (kindText is not null)
        {
            switch (kindText.Value)
            {
                case "plant": kind = ApiClientKind.Plant; break;
                case "partner": kind = ApiClientKind.Partner; break;
                case "application": kind = ApiClientKind.Application; break;
                default:
                    context.Error(kindText, $"'kind' of API client '{id.Value}' must be plant, partner or application, not '{kindText.Value}'");
                    ok = false;
                    break;
            }
        }
        foreach (var scope in scopes)
            if (!KnownScopes.Contains(scope.Value))
            {
                context.Error(scope, $"unknown scope '{scope.Value}' of API client '{id.Value}'; known: {string.Join(", ", KnownScopes)}");
                ok = false;
            }
        if (plants is not null)
            foreach (var plant in plantList)
                if (!plants.Contains(plant.Value))
                {
                    context.UnknownReference(plant, "plant", plant.Value, plants);
                    ok = false;
                }
        if (kind == ApiClientKind.Partner && supplierList.Count == 0)
        {
            context.Error(id, $"partner API client '{id.Value}' must name the 'suppliers' it acts for");
            ok = false;
        }
        if (requests is < 1 or > 1_000_000 || perSeconds is <= 0 or > 86_400)
        {
            context.Error(m.LocationOf("rate-limit"), $"'rate-limit' of API client '{id.Value}' needs 1..1000000 requests per 0..86400 seconds");
            ok = false;
        }
        if (!ok) return null;
        return new ApiClient
        {
            Id = id.Value, Kind = kind,
            Scopes = scopes.Select(s => s.Value).ToHashSet(StringComparer.Ordinal),
            Plants = plantList.Select(s => s.Value).ToHashSet(StringComparer.Ordinal),
            Suppliers = supplierList.Select(s => s.Value).ToHashSet(StringComparer.Ordinal),
            RateLimit = requests is { } r ? new ApiRateLimit((int)r, TimeSpan.FromSeconds(perSeconds ?? 1)) : ApiRateLimit.Default,
        };
    }
}

/// <summary>
/// <c>api-identity:</c> — whom the capability APIs trust:
/// <code>
/// api-identity:
///   issuer: https://login.acme.example
///   audience: millrace-api
///   signing-keys: [keys/idp-rs256.pem, keys/idp.jwks.json]   # relative to the configuration folder
///   dev-tokens: false         # true: trust `millrace token` (the data folder's development key); never in production
///   clock-skew-seconds: 30
///   idempotency-retention-hours: 24
/// </code>
/// </summary>
public sealed class ApiIdentitySection : ConfigSection
{
    private ConfigNode? _node;

    /// <inheritdoc />
    public override string Key => "api-identity";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context) => _node = value;

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        if (_node is null || context.ReadMapping(_node, "API identity") is not { } m) return;
        var issuer = m.String("issuer");
        var audience = m.String("audience");
        var keys = m.TextList("signing-keys");
        bool dev = m.Boolean("dev-tokens") ?? false;
        double? skew = m.Number("clock-skew-seconds");
        double? retention = m.Number("idempotency-retention-hours");
        m.Complete();
        var files = new List<string>();
        foreach (var key in keys)
        {
            string path = Path.IsPathRooted(key.Value) ? key.Value : Path.Combine(context.Directory ?? ".", key.Value);
            if (!File.Exists(path)) context.Error(key, $"signing key file '{key.Value}' does not exist (looked at {path})");
            else files.Add(path);
        }
        if (skew is < 0 or > 300) context.Error(m.LocationOf("clock-skew-seconds"), "'clock-skew-seconds' must be between 0 and 300");
        if (retention is <= 0 or > 24 * 30) context.Error(m.LocationOf("idempotency-retention-hours"), "'idempotency-retention-hours' must be between 0 and 720");
        if (keys.Count == 0 && !dev)
            context.Warning(m.Location, "api-identity trusts no signing key and dev-tokens is off: only API keys will authenticate");
        var s = context.Get<ApiSettings>() ?? new ApiSettings();
        context.Set(s with
        {
            Issuer = issuer ?? s.Issuer, Audience = audience ?? s.Audience, SigningKeyFiles = files, TrustDevelopmentTokens = dev,
            ClockSkew = skew is { } k ? TimeSpan.FromSeconds(k) : s.ClockSkew,
            IdempotencyRetention = retention is { } h ? TimeSpan.FromHours(h) : s.IdempotencyRetention,
        });
    }
}

/// <summary>
/// <c>apis:</c> — lifecycle of catalogued API versions, so a version is deprecated or retired by configuration:
/// <code>
/// apis:
///   - id: asn/v1
///     lifecycle: retired        # active | deprecated | retired
///     deprecated-at: 2026-11-01
///     sunset: 2027-06-30
///     successor: /api/v2/suppliers/{supplier}/asns
/// </code>
/// </summary>
public sealed class ApisSection : ConfigSection
{
    private readonly List<ConfigNode> _items = [];

    /// <inheritdoc />
    public override string Key => "apis";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context) => _items.AddRange(context.ReadList(value, "API lifecycles"));

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        var lifecycles = new Dictionary<string, ApiLifecycle>(StringComparer.Ordinal);
        foreach (var item in _items)
        {
            if (context.ReadMapping(item, "API lifecycle") is not { } m) continue;
            var id = m.Text("id", required: true);
            var state = m.Text("lifecycle", required: true);
            var deprecated = m.Text("deprecated-at");
            var sunset = m.Text("sunset");
            var successor = m.String("successor");
            m.Complete();
            if (id is null || state is null) continue;
            if (!ApiCatalogue.IsKnown(id.Value))
            {
                context.UnknownReference(id, "API version", id.Value, ApiCatalogue.BuiltIn.Select(d => d.Id));
                continue;
            }
            if (!context.Declare("api", id.Value, id.Location, "API lifecycle")) continue;
            ApiLifecycleState? parsed = state.Value switch
            {
                "active" => ApiLifecycleState.Active, "deprecated" => ApiLifecycleState.Deprecated, "retired" => ApiLifecycleState.Retired, _ => null,
            };
            if (parsed is null)
            {
                context.Error(state, $"'lifecycle' of '{id.Value}' must be active, deprecated or retired, not '{state.Value}'");
                continue;
            }
            lifecycles[id.Value] = new ApiLifecycle(parsed.Value, Date(deprecated, context), Date(sunset, context), successor);
        }
        context.Set((context.Get<ApiSettings>() ?? new ApiSettings()) with { Lifecycles = lifecycles });
    }

    private static DateTimeOffset? Date(ConfigScalar? text, ConfigContext context)
    {
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text.Value, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var d)) return d;
        context.Error(text, $"'{text.Value}' is not a date (2027-06-30 or an RFC 3339 timestamp)");
        return null;
    }
}
