using System.Collections.Frozen;
using System.Text;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// Per-plant namespaces: each identity may publish only to topics its filters match, and subscribe only to filters
/// that stay inside them (<c>acme/plant-03/#</c> allows <c>acme/plant-03/line-1/+/telemetry</c>, refuses
/// <c>acme/#</c> and <c>acme/+/line-1</c>). Identities without an entry may do nothing, unless
/// <paramref name="anonymousFilters"/> gives anonymous (null identity) clients a namespace.
/// </summary>
public sealed class MqttNamespaceAuthorizer(IReadOnlyDictionary<string, IReadOnlyList<string>> filtersByIdentity,
    IReadOnlyList<string>? anonymousFilters = null) : IMqttAuthorizer
{
    private readonly FrozenDictionary<string, byte[][]> _filters = filtersByIdentity.ToFrozenDictionary(
        p => p.Key, p => p.Value.Select(Encoding.UTF8.GetBytes).ToArray(), StringComparer.Ordinal);
    private readonly byte[][] _anonymous = (anonymousFilters ?? []).Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>Builds the namespaces from user accounts.</summary>
    public static MqttNamespaceAuthorizer FromAccounts(IEnumerable<MqttUserAccount> users)
        => new(users.ToDictionary(u => u.UserName, u => u.AllowedFilters, StringComparer.Ordinal));

    /// <inheritdoc/>
    public bool CanPublish(string? identity, string clientId, ReadOnlySpan<byte> topicName)
    {
        foreach (var filter in FiltersOf(identity))
            if (MqttTopic.Matches(filter, topicName)) return true;
        return false;
    }

    /// <inheritdoc/>
    public bool CanSubscribe(string? identity, string clientId, string topicFilter)
    {
        var requested = Encoding.UTF8.GetBytes(topicFilter);
        foreach (var filter in FiltersOf(identity))
            if (Covers(filter, requested)) return true;
        return false;
    }

    private byte[][] FiltersOf(string? identity)
        => identity is null ? _anonymous : _filters.TryGetValue(identity, out var f) ? f : [];

    /// <summary>True when every topic <paramref name="requested"/> matches is also matched by <paramref name="allowed"/>.</summary>
    internal static bool Covers(ReadOnlySpan<byte> allowed, ReadOnlySpan<byte> requested)
    {
        if (requested.Length > 0 && requested[0] == (byte)'$' && !(allowed.Length > 0 && allowed[0] == (byte)'$')) return false;
        while (true)
        {
            int a = allowed.IndexOf((byte)'/'), r = requested.IndexOf((byte)'/');
            var aLevel = a < 0 ? allowed : allowed[..a];
            var rLevel = r < 0 ? requested : requested[..r];
            if (aLevel.SequenceEqual("#"u8)) return true;
            if (rLevel.SequenceEqual("#"u8)) return false; // requested reaches further than allowed
            if (aLevel.SequenceEqual("+"u8)) { }
            else if (!aLevel.SequenceEqual(rLevel)) return false; // a literal must be matched by the same literal
            if (r < 0)
                return a < 0 || allowed[(a + 1)..].SequenceEqual("#"u8); // "a/#" also covers "a"
            if (a < 0) return false; // requested has more levels
            allowed = allowed[(a + 1)..];
            requested = requested[(r + 1)..];
        }
    }
}
