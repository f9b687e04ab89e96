using System.Buffers;

namespace Millrace.Mqtt.Packets;

/// <summary>One Topic Filter and its Subscription Options in a SUBSCRIBE payload.</summary>
public readonly struct MqttSubscription
{
    /// <summary>Creates a subscription entry (for encoding).</summary>
    public MqttSubscription(ReadOnlySequence<byte> filter, MqttQualityOfService maximumQoS, bool noLocal = false,
        bool retainAsPublished = false, MqttRetainHandling retainHandling = MqttRetainHandling.SendAtSubscribe)
    {
        Filter = filter;
        MaximumQoS = maximumQoS;
        NoLocal = noLocal;
        RetainAsPublished = retainAsPublished;
        RetainHandling = retainHandling;
    }

    /// <summary>Topic Filter (UTF-8), possibly <c>$share/{ShareName}/{filter}</c>.</summary>
    public ReadOnlySequence<byte> Filter { get; }
    /// <summary>Maximum QoS the client accepts.</summary>
    public MqttQualityOfService MaximumQoS { get; }
    /// <summary>5.0 No Local: do not send back the client's own messages.</summary>
    public bool NoLocal { get; }
    /// <summary>5.0 Retain As Published.</summary>
    public bool RetainAsPublished { get; }
    /// <summary>5.0 Retain Handling.</summary>
    public MqttRetainHandling RetainHandling { get; }

    /// <summary>The Subscription Options byte.</summary>
    public byte OptionsByte => (byte)((int)MaximumQoS | (NoLocal ? 0x04 : 0) | (RetainAsPublished ? 0x08 : 0) | ((int)RetainHandling << 4));
}
