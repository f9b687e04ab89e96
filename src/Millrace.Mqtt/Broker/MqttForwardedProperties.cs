using System.Buffers;
using System.Buffers.Binary;
using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// Splits a received PUBLISH (or Will) property block into what is forwarded to subscribers and what the broker
/// consumes itself: Topic Alias belongs to the connection [MQTT-3.3.2-7] and Message Expiry Interval is kept as a
/// deadline and rewritten with the remaining time on delivery [MQTT-3.3.2-6]. The block was validated by the decoder.
/// </summary>
internal static class MqttForwardedProperties
{
    /// <summary>Copies the forwardable properties into <paramref name="destination"/> (which must be at least
    /// <paramref name="source"/>'s length); returns the number of bytes written.</summary>
    public static int Copy(in ReadOnlySequence<byte> source, Span<byte> destination, out uint? messageExpiry)
    {
        messageExpiry = null;
        if (source.IsEmpty) return 0;
        ReadOnlySpan<byte> block = source.IsSingleSegment ? source.FirstSpan : source.ToArray();
        int written = 0, i = 0;
        while (i < block.Length)
        {
            int start = i;
            byte id = block[i++];
            switch (MqttPropertyTable.GetType(id))
            {
                case MqttPropertyType.Byte: i += 1; break;
                case MqttPropertyType.TwoByteInteger: i += 2; break;
                case MqttPropertyType.FourByteInteger:
                    if ((MqttPropertyId)id == MqttPropertyId.MessageExpiryInterval) messageExpiry = BinaryPrimitives.ReadUInt32BigEndian(block[i..]);
                    i += 4;
                    break;
                case MqttPropertyType.VariableByteInteger:
                    VariableByteInteger.TryRead(block[i..], out _, out int n);
                    i += n;
                    break;
                case MqttPropertyType.Utf8String or MqttPropertyType.BinaryData:
                    i += 2 + BinaryPrimitives.ReadUInt16BigEndian(block[i..]);
                    break;
                case MqttPropertyType.Utf8StringPair:
                    i += 2 + BinaryPrimitives.ReadUInt16BigEndian(block[i..]);
                    i += 2 + BinaryPrimitives.ReadUInt16BigEndian(block[i..]);
                    break;
                default:
                    return written; // cannot happen for a validated block; stop rather than copy garbage
            }
            var pid = (MqttPropertyId)id;
            if (pid is MqttPropertyId.TopicAlias or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.SubscriptionIdentifier
                or MqttPropertyId.WillDelayInterval)
                continue;
            block[start..i].CopyTo(destination[written..]);
            written += i - start;
        }
        return written;
    }
}
