namespace Millrace.Mqtt.Broker;

/// <summary>
/// Topic access control, consulted on every PUBLISH from a client and every SUBSCRIBE entry. Implementations must be
/// fast and thread-safe (publish checks run on the connection's read loop) and must not block.
/// </summary>
public interface IMqttAuthorizer
{
    /// <summary>May <paramref name="identity"/> publish to <paramref name="topicName"/> (UTF-8)?</summary>
    bool CanPublish(string? identity, string clientId, ReadOnlySpan<byte> topicName);

    /// <summary>May <paramref name="identity"/> subscribe to <paramref name="topicFilter"/> (without the
    /// <c>$share/{ShareName}/</c> prefix)? Allow only filters all of whose topics the identity may read.</summary>
    bool CanSubscribe(string? identity, string clientId, string topicFilter);
}
