using Millrace.Hub.Api.Clients;

namespace Millrace.Hub.Api.Versions;

/// <summary>
/// The capability APIs the hub serves, each version with owner, layer, SLA and lifecycle. The catalogue is code
/// (an API exists because its handler does); the <c>apis:</c> section overrides lifecycles (deprecate, retire) so
/// an operator can retire a version without a release. Served at <c>GET /catalog/apis</c>.
/// </summary>
public sealed class ApiCatalogue
{
    private static readonly DateTimeOffset AsnV1Deprecated = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsnV1Sunset = new(2027, 6, 30, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The built-in catalogue.</summary>
    public static IReadOnlyList<ApiDescriptor> BuiltIn { get; } =
    [
        new("production-orders/v1", "Release production orders; read their status and confirmed quantities", "process", "planning", "99.5% monthly, p99 < 250 ms", ApiLifecycle.Active),
        new("inventory/v1", "Adjust inventory; read availability by material and plant", "system", "warehouse-team", "99.5% monthly, p99 < 250 ms", ApiLifecycle.Active),
        new("asn/v1", "Take in supplier advance shipping notices (lots optional)", "experience", "procurement-team", "99.9% monthly, p99 < 500 ms",
            new ApiLifecycle(ApiLifecycleState.Deprecated, AsnV1Deprecated, AsnV1Sunset, "/api/v2/suppliers/{supplier}/asns")),
        new("asn/v2", "Take in supplier advance shipping notices with a lot per line", "experience", "procurement-team", "99.9% monthly, p99 < 500 ms", ApiLifecycle.Active),
        new("maintenance/v1", "Request and approve maintenance work orders", "process", "reliability-team", "99.5% monthly, p99 < 250 ms", ApiLifecycle.Active),
        new("quality/v1", "Update quality dispositions of lots", "process", "quality-team", "99.5% monthly, p99 < 250 ms", ApiLifecycle.Active),
        new("assets/v1", "Asset master data and live state", "experience", "reliability-team", "99.5% monthly, p99 < 100 ms", ApiLifecycle.Active),
        new("requests/v1", "Status of accepted commands", "system", "platform-team", "99.5% monthly, p99 < 100 ms", ApiLifecycle.Active),
    ];

    private readonly Dictionary<string, ApiDescriptor> _byId;

    /// <summary>The built-in catalogue with the settings' lifecycle overrides applied.</summary>
    public ApiCatalogue(ApiSettings settings)
    {
        _byId = BuiltIn.ToDictionary(d => d.Id, d => settings.Lifecycles.TryGetValue(d.Id, out var l) ? d with { Lifecycle = l } : d, StringComparer.Ordinal);
    }

    /// <summary>Every API version.</summary>
    public IEnumerable<ApiDescriptor> All => _byId.Values.OrderBy(d => d.Id, StringComparer.Ordinal);

    /// <summary>One API version (throws for an id not in the catalogue: handlers name their own).</summary>
    public ApiDescriptor this[string id] => _byId[id];

    /// <summary>Whether <paramref name="id"/> names a catalogued API version.</summary>
    public static bool IsKnown(string id) => BuiltIn.Any(d => d.Id == id);
}
