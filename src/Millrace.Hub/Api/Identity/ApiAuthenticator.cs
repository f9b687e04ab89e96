using Microsoft.AspNetCore.Http;
using Millrace.Hub.Api.Clients;

namespace Millrace.Hub.Api.Identity;

/// <summary>
/// Finds the caller of a request: <c>Authorization: Bearer &lt;jwt&gt;</c> (validated by
/// <see cref="BearerTokenValidator"/>) or a partner key in <c>Authorization: ApiKey &lt;key&gt;</c> / <c>X-Api-Key</c>
/// (checked by <see cref="ApiKeyStore"/>).
/// </summary>
public sealed class ApiAuthenticator(ApiSettings settings, BearerTokenValidator tokens, ApiKeyStore keys)
{
    /// <summary>The caller, or the failure to answer with 401.</summary>
    public async ValueTask<(ApiCaller? Caller, AuthenticationFailure? Failure)> AuthenticateAsync(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        string? apiKey = request.Headers["X-Api-Key"];
        if (authorization is not null)
        {
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return await tokens.ValidateAsync(authorization[7..].Trim()).ConfigureAwait(false);
            if (authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase))
                apiKey = authorization[7..].Trim();
            else
                return (null, new AuthenticationFailure("invalid_request", "Unsupported authorization scheme; use Bearer or ApiKey"));
        }
        if (apiKey is null) return (null, new AuthenticationFailure(null, "Authentication is required"));
        if (keys.Authenticate(apiKey) is not { } clientId || settings.Find(clientId) is not { } client)
            return (null, new AuthenticationFailure("invalid_token", "The API key is unknown, expired or revoked"));
        return (new ApiCaller(client, "api-key", client.Scopes), null);
    }

    /// <summary>The RFC 6750 challenge for a failure (fixed texts only, so no caller input reaches a header).</summary>
    public static string Challenge(AuthenticationFailure failure) => failure.Error is null
        ? "Bearer realm=\"millrace\", ApiKey realm=\"millrace\""
        : $"Bearer realm=\"millrace\", error=\"{failure.Error}\", error_description=\"{failure.Description}\"";
}
