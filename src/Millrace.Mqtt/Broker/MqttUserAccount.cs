namespace Millrace.Mqtt.Broker;

/// <summary>A broker user: a name, a <see cref="MqttSecretHash"/> string and the Topic Filters it may publish and
/// subscribe inside (e.g. <c>acme/plant-03/#</c>).</summary>
/// <param name="UserName">User Name the client sends in CONNECT.</param>
/// <param name="SecretHash">The hashed password (<c>pbkdf2-sha256$...</c>).</param>
/// <param name="AllowedFilters">Its namespace: the filters it may publish to and subscribe within.</param>
public sealed record MqttUserAccount(string UserName, string SecretHash, IReadOnlyList<string> AllowedFilters);
