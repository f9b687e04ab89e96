using Millrace.Hub.Api.Clients;

namespace Millrace.Hub.Api.Identity;

/// <summary>An authenticated caller: the declared client, how it proved who it is, and the scopes it holds now.</summary>
/// <param name="Client">The declared client.</param>
/// <param name="Method"><c>jwt</c> or <c>api-key</c>.</param>
/// <param name="Scopes">Effective scopes: the client's, narrowed by a token's <c>scope</c> claim when it has one.</param>
public sealed record ApiCaller(ApiClient Client, string Method, IReadOnlySet<string> Scopes)
{
    /// <summary>Whether the caller holds <paramref name="scope"/>.</summary>
    public bool Has(string scope) => Scopes.Contains(scope);
}

/// <summary>Why authentication failed, as the <c>WWW-Authenticate</c> challenge and the problem detail say it.</summary>
/// <param name="Error">RFC 6750 error code (<c>invalid_token</c>, <c>invalid_request</c>), or null when no credentials came.</param>
/// <param name="Description">A fixed, header-safe sentence (never echoes caller input).</param>
public sealed record AuthenticationFailure(string? Error, string Description);
