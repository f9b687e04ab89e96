using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Millrace.Hub.Api.Clients;

namespace Millrace.Hub.Api.Identity;

/// <summary>
/// Validates OAuth 2.0 bearer JWTs with <see cref="JsonWebTokenHandler"/>: signature by one of the trusted public keys
/// (configured PEM or JWKS files, plus the development key when trusted), RS256 or ES256 only — so <c>alg: none</c>
/// and HMAC tokens (the RSA-public-key-as-HMAC-secret confusion) are refused before any key is tried — issuer,
/// audience, and lifetime with a small clock skew. The client is the <c>client_id</c> (else <c>azp</c>, else
/// <c>sub</c>) claim and must be declared; a <c>scope</c> claim narrows the declared scopes, never widens them.
/// </summary>
/// <remarks>
/// Validated tokens are cached by their exact text (which includes the signature) until they expire, bounded in size:
/// a token that differs in any byte is validated afresh, so the cache cannot accept a tampered token, and expiry is
/// checked on every hit.
/// </remarks>
public sealed class BearerTokenValidator
{
    private const int CacheLimit = 10_000;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly ApiSettings _settings;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (ApiCaller Caller, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>A validator trusting <paramref name="keys"/>.</summary>
    public BearerTokenValidator(ApiSettings settings, IEnumerable<SecurityKey> keys, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKeys = keys.ToList(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
            ClockSkew = settings.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            TryAllIssuerSigningKeys = true,
            LifetimeValidator = ValidateLifetime,
        };
    }

    /// <summary>Loads the trusted keys: each file is a PEM public key (RSA or EC) or a JWKS document.</summary>
    public static IReadOnlyList<SecurityKey> LoadKeys(ApiSettings settings, string dataDirectory)
    {
        var keys = new List<SecurityKey>();
        foreach (var file in settings.SigningKeyFiles)
        {
            string text = File.ReadAllText(file);
            if (text.TrimStart().StartsWith('{'))
            {
                keys.AddRange(new JsonWebKeySet(text).GetSigningKeys());
            }
            else if (TryEc(text) is { } ec)
            {
                keys.Add(new ECDsaSecurityKey(ec) { KeyId = Path.GetFileNameWithoutExtension(file) });
            }
            else
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(text);
                keys.Add(new RsaSecurityKey(rsa) { KeyId = Path.GetFileNameWithoutExtension(file) });
            }
        }
        if (settings.TrustDevelopmentTokens) keys.Add(DevelopmentTokens.LoadOrCreateKey(dataDirectory));
        return keys;
    }

    private static ECDsa? TryEc(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            return null;
        }
    }

    /// <summary>The caller a token proves, or why it proves nothing.</summary>
    public async ValueTask<(ApiCaller? Caller, AuthenticationFailure? Failure)> ValidateAsync(string token)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(token, out var hit))
        {
            if (hit.Expires + _settings.ClockSkew > now) return (hit.Caller, null);
            _cache.TryRemove(token, out _);
        }
        if (token.Length > 8192) return (null, new AuthenticationFailure("invalid_token", "The access token is too large"));
        var result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
            return (null, new AuthenticationFailure("invalid_token", result.Exception switch
            {
                SecurityTokenExpiredException => "The access token expired",
                SecurityTokenNotYetValidException => "The access token is not yet valid",
                SecurityTokenInvalidAudienceException => "The access token is for another audience",
                SecurityTokenInvalidIssuerException => "The access token is from an untrusted issuer",
                SecurityTokenInvalidAlgorithmException => "The access token's signing algorithm is not accepted",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The access token's signature is invalid",
                SecurityTokenNoExpirationException => "The access token has no expiry",
                _ => "The access token is invalid",
            }));
        var jwt = (JsonWebToken)result.SecurityToken;
        string? clientId = Claim(jwt, "client_id") ?? Claim(jwt, "azp") ?? Claim(jwt, "sub");
        if (clientId is null || _settings.Find(clientId) is not { } client)
            return (null, new AuthenticationFailure("invalid_token", "The access token names no declared client"));
        IReadOnlySet<string> scopes = client.Scopes;
        if (Claim(jwt, "scope") is { } scopeClaim)
            scopes = scopeClaim.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(client.Scopes.Contains).ToHashSet(StringComparer.Ordinal);
        var caller = new ApiCaller(client, "jwt", scopes);
        if (_cache.Count >= CacheLimit) _cache.Clear();
        _cache[token] = (caller, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        return (caller, null);
    }

    private static string? Claim(JsonWebToken jwt, string type) => jwt.TryGetPayloadValue<string>(type, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null) throw new SecurityTokenNoExpirationException("no exp");
        if (expires.Value + parameters.ClockSkew < now) throw new SecurityTokenExpiredException("expired") { Expires = expires.Value };
        if (notBefore is { } nbf && nbf - parameters.ClockSkew > now) throw new SecurityTokenNotYetValidException("not yet valid") { NotBefore = nbf };
        return true;
    }
}
