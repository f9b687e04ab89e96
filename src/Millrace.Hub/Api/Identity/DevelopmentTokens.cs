using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Millrace.Hub.Api.Identity;

/// <summary>
/// The development token issuer behind <c>millrace token --client id</c>: an ES256 key kept in the data folder
/// (<c>api-dev-signing-key.pem</c>, created on first use, readable by the owner only). The hub trusts tokens it signs
/// only when the configuration says <c>api-identity: dev-tokens: true</c>; production hubs trust their identity
/// provider's keys (<c>signing-keys:</c>) instead.
/// </summary>
public static class DevelopmentTokens
{
    /// <summary>The key file's name in the data folder.</summary>
    public const string KeyFileName = "api-dev-signing-key.pem";

    /// <summary>The key id tokens carry in their header.</summary>
    public const string KeyId = "millrace-dev-1";

    /// <summary>The data folder's development key (created when absent).</summary>
    public static ECDsaSecurityKey LoadOrCreateKey(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        string path = Path.Combine(dataDirectory, KeyFileName);
        var ecdsa = ECDsa.Create();
        if (File.Exists(path))
        {
            ecdsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            ecdsa.GenerateKey(ECCurve.NamedCurves.nistP256);
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, fileOptions);
            using var writer = new StreamWriter(file);
            writer.Write(ecdsa.ExportPkcs8PrivateKeyPem());
        }
        return new ECDsaSecurityKey(ecdsa) { KeyId = KeyId };
    }

    /// <summary>Issues a signed token for <paramref name="clientId"/> (ES256 unless the key says otherwise).</summary>
    public static string Issue(SecurityKey key, string issuer, string audience, string clientId, IEnumerable<string>? scopes, TimeSpan lifetime,
        DateTimeOffset? now = null, string algorithm = SecurityAlgorithms.EcdsaSha256)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new Dictionary<string, object> { ["client_id"] = clientId, ["sub"] = clientId };
        if (scopes is not null) claims["scope"] = string.Join(' ', scopes);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer, Audience = audience, Claims = claims,
            IssuedAt = issuedAt, NotBefore = issuedAt, Expires = issuedAt + lifetime,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }
}
