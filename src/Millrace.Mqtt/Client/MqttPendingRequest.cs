using System.Buffers;
using Millrace.Mqtt.Packets;

namespace Millrace.Mqtt.Client;

/// <summary>A SUBSCRIBE or UNSUBSCRIBE awaiting its SUBACK/UNSUBACK; resent on a new connection until answered.</summary>
internal sealed class MqttPendingRequest
{
    private MqttPendingRequest(MqttTopicSubscription[]? subscriptions, string[] filters)
    {
        Subscriptions = subscriptions;
        Filters = filters;
        FilterBytes = Array.ConvertAll(filters, f => new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(f)));
    }

    public static MqttPendingRequest Subscribe(MqttTopicSubscription[] subscriptions)
        => new(subscriptions, Array.ConvertAll(subscriptions, s => s.Filter));

    public static MqttPendingRequest Unsubscribe(string[] filters) => new(null, filters);

    /// <summary>Set for SUBSCRIBE, null for UNSUBSCRIBE.</summary>
    public MqttTopicSubscription[]? Subscriptions { get; }
    public bool IsSubscribe => Subscriptions is not null;
    public string[] Filters { get; }
    public ReadOnlySequence<byte>[] FilterBytes { get; }
    public ushort PacketIdentifier { get; set; }
    public MqttConnection? SentOn { get; set; }
    public TaskCompletionSource<MqttReasonCode[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MqttSubscription[] ToPacketSubscriptions()
    {
        var subs = Subscriptions!;
        var result = new MqttSubscription[subs.Length];
        for (int i = 0; i < subs.Length; i++)
            result[i] = new MqttSubscription(FilterBytes[i], subs[i].QoS, subs[i].NoLocal, subs[i].RetainAsPublished, subs[i].RetainHandling);
        return result;
    }
}
