using System.Text;
using Millrace.Core.Config;
using Millrace.Mqtt.Broker;
using Millrace.Mqtt.Topics;

namespace Millrace.Hub.Broker;

/// <summary>
/// <c>mqtt-broker:</c> — users of the hub's embedded broker and their topic namespaces:
/// <code>
/// mqtt-broker:
///   users:
///     - user: plant-01-gateway
///       secret: pbkdf2-sha256$600000$Base64Salt$Base64Hash   # millrace broker --hash-password
///       topics: [acme/plant-01/#]
///   anonymous-topics: []                                     # default: clients without credentials are refused
/// </code>
/// A secret is always a hash: anything else (a password typed in) is refused, pointing at the line. Topics are MQTT
/// filters (wildcards allowed, no <c>$share/</c>); a user publishes only to topics they match and subscribes only to
/// filters inside them. Publishes <see cref="MqttBrokerAccess"/>; without the section the broker is open.
/// </summary>
public sealed class MqttBrokerSection : ConfigSection
{
    private readonly List<MqttUserAccount> _users = [];
    private readonly List<string> _anonymous = [];
    private bool _present;

    /// <inheritdoc />
    public override string Key => "mqtt-broker";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context)
    {
        var m = context.ReadMapping(value, "mqtt-broker");
        if (m is null) return;
        _present = true;
        foreach (var item in m.List("users"))
            if (ReadUser(item, context) is { } user) _users.Add(user);
        foreach (var filter in m.TextList("anonymous-topics"))
            if (CheckFilter(filter, context)) _anonymous.Add(filter.Value);
        m.Complete();
    }

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        if (_present) context.Set(new MqttBrokerAccess(_users, _anonymous));
    }

    private static MqttUserAccount? ReadUser(ConfigNode node, ConfigContext context)
    {
        var m = context.ReadMapping(node, "MQTT user");
        if (m is null) return null;
        var name = m.Text("user", required: true);
        if (name is not null) m.What = $"MQTT user '{name.Value}'";
        var secret = m.Text("secret", required: true);
        var topics = m.TextList("topics", required: true);
        m.Complete();
        bool ok = name is not null && secret is not null;
        if (name is not null && (name.Value.Length == 0 || Encoding.UTF8.GetByteCount(name.Value) > ushort.MaxValue || name.Value.Contains('\0')))
        {
            context.Error(name, $"'{name.Value}' cannot be an MQTT User Name (1 to 65,535 UTF-8 bytes, no U+0000)");
            ok = false;
        }
        if (secret is not null && !MqttSecretHash.TryParse(secret.Value, out _, out _, out _, out var why))
        {
            context.Error(secret, $"secret of {m.What} must be a hash made by 'millrace broker --hash-password' ({why}); "
                                  + "a password is never written in configuration");
            ok = false;
        }
        if (topics.Count == 0 && m.Has("topics"))
        {
            context.Error(m.LocationOf("topics"), $"topics of {m.What} must name at least one topic filter (its namespace, e.g. acme/plant-01/#)");
            ok = false;
        }
        foreach (var t in topics) ok &= CheckFilter(t, context);
        if (!ok || topics.Count == 0) return null;
        if (!context.Declare("mqtt user", name!.Value, name.Location, "MQTT user")) return null;
        return new MqttUserAccount(name.Value, secret!.Value, topics.Select(t => t.Value).ToArray());
    }

    private static bool CheckFilter(ConfigScalar filter, ConfigContext context)
    {
        var status = MqttTopic.ValidateFilter(Encoding.UTF8.GetBytes(filter.Value), allowShared: false);
        if (status == MqttTopicFilterStatus.Valid) return true;
        context.Error(filter, $"'{filter.Value}' is not a valid MQTT topic filter ({status}); e.g. acme/plant-01/#");
        return false;
    }
}
