namespace Millrace.Hub.Api.Clients;

/// <summary>What kind of caller a client is: a plant application (MES), a partner (supplier portal) or an app.</summary>
public enum ApiClientKind
{
    /// <summary>A plant system (MES, WMS) acting for one or more plants.</summary>
    Plant,

    /// <summary>An external partner (a supplier) acting for itself only.</summary>
    Partner,

    /// <summary>An internal application (a dashboard, an integration).</summary>
    Application,
}

/// <summary>Requests per window a client may make on one API (a token bucket refilled every window).</summary>
/// <param name="Requests">Permits per window (also the burst size).</param>
/// <param name="Window">The refill window.</param>
public sealed record ApiRateLimit(int Requests, TimeSpan Window)
{
    /// <summary>The limit when a client declares none: 100 requests per second.</summary>
    public static readonly ApiRateLimit Default = new(100, TimeSpan.FromSeconds(1));
}

/// <summary>
/// One caller of the capability APIs, declared in the <c>api-clients:</c> section: its scopes (<c>production:write</c>,
/// <c>inventory:read</c>, <c>asn:write</c>, …) and the plants or suppliers it may act for. An empty plant or supplier
/// list means "no restriction of that kind" only for <see cref="ApiClientKind.Application"/>; a partner always acts for
/// its declared suppliers only.
/// </summary>
public sealed record ApiClient
{
    /// <summary>Client id: the JWT <c>client_id</c>/<c>azp</c>/<c>sub</c> claim, and the owner of API keys.</summary>
    public required string Id { get; init; }

    /// <summary>Plant system, partner or application.</summary>
    public ApiClientKind Kind { get; init; } = ApiClientKind.Application;

    /// <summary>Scopes granted.</summary>
    public IReadOnlySet<string> Scopes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Plants the client may act for; empty: all plants.</summary>
    public IReadOnlySet<string> Plants { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Suppliers the client may act for (partners); empty: none for a partner, all for others.</summary>
    public IReadOnlySet<string> Suppliers { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The request budget per API.</summary>
    public ApiRateLimit RateLimit { get; init; } = ApiRateLimit.Default;

    /// <summary>Whether the client may act for <paramref name="plant"/>.</summary>
    public bool MayActForPlant(string? plant) => Plants.Count == 0 || (plant is not null && Plants.Contains(plant));

    /// <summary>Whether the client may act for <paramref name="supplier"/>.</summary>
    public bool MayActForSupplier(string supplier) =>
        Suppliers.Contains(supplier) || (Suppliers.Count == 0 && Kind != ApiClientKind.Partner);
}
