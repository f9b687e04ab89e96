using Millrace.Mqtt.Broker;

namespace Millrace.Hub.Broker;

/// <summary>
/// Who may use the hub's embedded broker (the <c>mqtt-broker:</c> section): users with hashed secrets, each confined
/// to its topic namespace (a plant's gateway to <c>acme/plant-01/#</c>), and the namespace of clients without
/// credentials (none by default: with users configured, anonymous clients are refused).
/// </summary>
/// <param name="Users">Accounts: user name, <see cref="MqttSecretHash"/> string, allowed topic filters.</param>
/// <param name="AnonymousTopics">Filters a client without a user name may publish to and subscribe within; empty: refused.</param>
public sealed record MqttBrokerAccess(IReadOnlyList<MqttUserAccount> Users, IReadOnlyList<string> AnonymousTopics)
{
    /// <summary>An open broker: no users, anonymous clients may do anything (the default without an <c>mqtt-broker:</c> section).</summary>
    public static MqttBrokerAccess Open { get; } = new([], ["#"]);

    /// <summary>Whether any client must present credentials or stay in a namespace.</summary>
    public bool IsRestricted => Users.Count > 0 || !(AnonymousTopics.Count == 1 && AnonymousTopics[0] == "#");

    /// <summary>This access plus <paramref name="user"/> (e.g. the demo simulator's one-run account).</summary>
    public MqttBrokerAccess With(MqttUserAccount user) => this with { Users = [.. Users, user] };

    /// <summary>Sets the authenticator and authorizer of <paramref name="options"/> (unchanged when open).</summary>
    public MqttBrokerOptions ApplyTo(MqttBrokerOptions options)
    {
        if (!IsRestricted) return options;
        var passwords = new MqttPasswordAuthenticator(Users);
        return options with
        {
            Authenticator = new AccessAuthenticator(passwords, AnonymousTopics.Count > 0),
            Authorizer = new MqttNamespaceAuthorizer(Users.ToDictionary(u => u.UserName, u => u.AllowedFilters, StringComparer.Ordinal), AnonymousTopics),
        };
    }

    /// <summary>Users by password; a client without a user name is admitted only when anonymous clients have a namespace.</summary>
    private sealed class AccessAuthenticator(MqttPasswordAuthenticator passwords, bool anonymousAllowed) : IMqttAuthenticator
    {
        public ValueTask<MqttAuthenticationResult> AuthenticateAsync(MqttAuthenticationRequest request, CancellationToken cancellationToken)
        {
            if (request.UserName is null && request.Password.IsEmpty)
                return ValueTask.FromResult(anonymousAllowed ? MqttAuthenticationResult.Success(null) : MqttAuthenticationResult.Fail(Millrace.Mqtt.MqttReasonCode.NotAuthorized));
            return passwords.AuthenticateAsync(request, cancellationToken);
        }
    }
}
