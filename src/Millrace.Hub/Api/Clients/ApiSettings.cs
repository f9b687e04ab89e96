using Millrace.Hub.Api.Versions;

namespace Millrace.Hub.Api.Clients;

/// <summary>
/// How the capability APIs authenticate and govern callers: the declared clients, the trusted token issuer, and the
/// lifecycle of each API version. Built from the <c>api-clients:</c>, <c>api-identity:</c> and <c>apis:</c> sections;
/// null on <see cref="Hosting.HubOptions.Apis"/> means the hub serves no capability APIs.
/// </summary>
public sealed record ApiSettings
{
    /// <summary>Declared clients by id.</summary>
    public IReadOnlyDictionary<string, ApiClient> Clients { get; init; } = new Dictionary<string, ApiClient>(StringComparer.Ordinal);

    /// <summary>The JWT <c>iss</c> the hub accepts.</summary>
    public string Issuer { get; init; } = "millrace-dev";

    /// <summary>The JWT <c>aud</c> the hub accepts.</summary>
    public string Audience { get; init; } = "millrace-api";

    /// <summary>Public key files (PEM, RSA or EC P-256) or JWKS files whose keys sign accepted tokens.</summary>
    public IReadOnlyList<string> SigningKeyFiles { get; init; } = [];

    /// <summary>
    /// Whether tokens signed by the data folder's development key (<c>millrace token</c>) are trusted. Off unless the
    /// configuration says <c>dev-tokens: true</c>: a development key on disk must never open a production hub.
    /// </summary>
    public bool TrustDevelopmentTokens { get; init; }

    /// <summary>Allowed clock skew for <c>exp</c>/<c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long idempotency keys (and their stored responses) are kept.</summary>
    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Largest capability request body in bytes.</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request body.</summary>
    public int MaxJsonDepth { get; init; } = 16;

    /// <summary>Lifecycle overrides by API version (<c>asn/v1</c>): deprecated, retired, with dates.</summary>
    public IReadOnlyDictionary<string, ApiLifecycle> Lifecycles { get; init; } = new Dictionary<string, ApiLifecycle>(StringComparer.Ordinal);

    /// <summary>Finds a declared client.</summary>
    public ApiClient? Find(string id) => Clients.TryGetValue(id, out var c) ? c : null;
}
