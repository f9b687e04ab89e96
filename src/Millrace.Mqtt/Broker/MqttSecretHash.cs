using System.Security.Cryptography;
using System.Text;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// Salted PBKDF2-HMAC-SHA256 password hashes, written <c>pbkdf2-sha256$iterations$salt$hash</c> (salt and hash in
/// Base64). Configuration keeps only these strings, never passwords.
/// </summary>
public static class MqttSecretHash
{
    /// <summary>Iterations used by <see cref="Create"/> (OWASP 2023 guidance for PBKDF2-HMAC-SHA256).</summary>
    public const int DefaultIterations = 600_000;
    private const string Prefix = "pbkdf2-sha256";
    private const int SaltBytes = 16, HashBytes = 32;

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt.</summary>
    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Prefix}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Checks the form of a hash string; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, out int iterations, out byte[] salt, out byte[] hash, out string? error)
    {
        iterations = 0;
        salt = hash = [];
        var parts = text.Split('$');
        if (parts.Length != 4 || parts[0] != Prefix)
        {
            error = $"a secret hash must look like '{Prefix}$iterations$salt$hash'";
            return false;
        }
        if (!int.TryParse(parts[1], out iterations) || iterations < 1 || iterations > 100_000_000)
        {
            error = $"invalid iteration count '{parts[1]}'";
            return false;
        }
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            error = "salt and hash must be Base64";
            return false;
        }
        if (salt.Length < 8 || hash.Length < 16)
        {
            error = "salt (≥ 8 bytes) or hash (≥ 16 bytes) too short";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="hashText"/> (constant-time comparison).</summary>
    public static bool Verify(ReadOnlySpan<byte> password, string hashText)
    {
        if (!TryParse(hashText, out int iterations, out var salt, out var expected, out _)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
