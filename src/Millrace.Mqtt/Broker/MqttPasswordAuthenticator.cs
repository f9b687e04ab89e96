using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// Authenticates User Name/Password against salted PBKDF2-SHA256 hashes. A missing user name, an unknown user or a
/// wrong password are all answered <see cref="MqttReasonCode.BadUserNameOrPassword"/> (3.1.1: return code 4),
/// after the same amount of hashing, so the answer does not reveal which users exist.
/// Successful checks are cached by a SHA-256 of the password, so a reconnecting plant does not pay the PBKDF2 cost
/// (hundreds of milliseconds at 600,000 iterations) on every connection.
/// </summary>
public sealed class MqttPasswordAuthenticator : IMqttAuthenticator
{
    private static readonly string DummyHash = MqttSecretHash.Create("millrace-dummy", 1000);
    private readonly FrozenDictionary<string, MqttUserAccount> _users;
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    /// <summary>Creates the authenticator for <paramref name="users"/>.</summary>
    /// <exception cref="ArgumentException">A hash is not a valid <see cref="MqttSecretHash"/> string, or a user repeats.</exception>
    public MqttPasswordAuthenticator(IEnumerable<MqttUserAccount> users)
    {
        var map = new Dictionary<string, MqttUserAccount>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (!MqttSecretHash.TryParse(user.SecretHash, out _, out _, out _, out var error))
                throw new ArgumentException($"user '{user.UserName}': {error}", nameof(users));
            if (!map.TryAdd(user.UserName, user)) throw new ArgumentException($"user '{user.UserName}' is listed twice", nameof(users));
        }
        _users = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public ValueTask<MqttAuthenticationResult> AuthenticateAsync(MqttAuthenticationRequest request, CancellationToken cancellationToken)
    {
        var password = request.Password.Span;
        if (request.UserName is null || !_users.TryGetValue(request.UserName, out var user))
        {
            MqttSecretHash.Verify(password, DummyHash); // same kind of work as for a known user
            return ValueTask.FromResult(MqttAuthenticationResult.Fail());
        }
        var digest = SHA256.HashData(password);
        if (_verified.TryGetValue(user.UserName, out var known) && CryptographicOperations.FixedTimeEquals(known, digest))
            return ValueTask.FromResult(MqttAuthenticationResult.Success(user.UserName));
        if (!MqttSecretHash.Verify(password, user.SecretHash)) return ValueTask.FromResult(MqttAuthenticationResult.Fail());
        _verified[user.UserName] = digest;
        return ValueTask.FromResult(MqttAuthenticationResult.Success(user.UserName));
    }
}
