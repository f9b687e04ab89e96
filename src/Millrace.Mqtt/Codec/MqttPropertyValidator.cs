using System.Buffers;

namespace Millrace.Mqtt.Codec;

/// <summary>
/// Checks an encoded property block (§2.2.2.2): identifiers known and allowed for the packet (else Malformed),
/// values of the right type and range, no forbidden duplicates (Protocol Error), strings valid UTF-8.
/// </summary>
internal static class MqttPropertyValidator
{
    public static void Validate(in ReadOnlySequence<byte> encoded, MqttPropertyContext context, MqttProtocolVersion version, MqttDecoderOptions options)
    {
        var reader = new MqttBodyReader(encoded, version, options);
        ulong seen = 0;
        while (!reader.End)
        {
            int id = reader.ReadVariableByteInteger("Property Identifier");
            var type = MqttPropertyTable.GetType(id);
            if (type == MqttPropertyType.None)
                throw MqttProtocolException.Malformed("§2.2.2.2", $"Unknown Property Identifier 0x{id:X2}");
            if (!MqttPropertyTable.IsAllowed(context, id))
                throw MqttProtocolException.Malformed("§2.2.2.2", $"Property {(MqttPropertyId)id} is not valid in {context} properties");
            ulong bit = 1UL << id;
            bool mayRepeat = id == (int)MqttPropertyId.UserProperty
                || (id == (int)MqttPropertyId.SubscriptionIdentifier && context == MqttPropertyContext.Publish);
            if ((seen & bit) != 0 && !mayRepeat)
                throw MqttProtocolException.Protocol("§2.2.2.2", $"Property {(MqttPropertyId)id} is included more than once in {context} properties");
            seen |= bit;

            string field = MqttNames.Property(id);
            switch (type)
            {
                case MqttPropertyType.Byte:
                    byte b = reader.ReadByte(field);
                    if (b > 1) // every Byte property is a 0/1 flag (Maximum QoS too: "0 or 1")
                        throw MqttProtocolException.Protocol("§3 property rules", $"{field} must be 0 or 1, was {b}");
                    break;
                case MqttPropertyType.TwoByteInteger:
                    ushort u16 = reader.ReadUInt16(field);
                    CheckTwoByte((MqttPropertyId)id, u16, options);
                    break;
                case MqttPropertyType.FourByteInteger:
                    uint u32 = reader.ReadUInt32(field);
                    if (id == (int)MqttPropertyId.MaximumPacketSize && u32 == 0)
                        throw MqttProtocolException.Protocol("§3.1.2.11.4", "Maximum Packet Size must not be 0");
                    break;
                case MqttPropertyType.VariableByteInteger:
                    int sub = reader.ReadVariableByteInteger(field);
                    if (sub == 0)
                        throw MqttProtocolException.Protocol("§3.8.2.1.2", "Subscription Identifier must be 1..268,435,455, was 0");
                    break;
                case MqttPropertyType.Utf8String:
                    var s = reader.ReadString(field);
                    if (id == (int)MqttPropertyId.ResponseTopic && !Topics.MqttTopic.IsValidTopicName(s))
                        throw MqttProtocolException.Protocol("MQTT-3.3.2-14", "Response Topic must be a Topic Name: non-empty and without wildcards");
                    break;
                case MqttPropertyType.BinaryData:
                    reader.ReadBinary(field);
                    break;
                case MqttPropertyType.Utf8StringPair:
                    reader.ReadString("User Property name");
                    reader.ReadString("User Property value");
                    break;
            }
        }
        const ulong method = 1UL << (int)MqttPropertyId.AuthenticationMethod, data = 1UL << (int)MqttPropertyId.AuthenticationData;
        if ((seen & data) != 0 && (seen & method) == 0)
            throw MqttProtocolException.Protocol("§3.1.2.11.10", "Authentication Data without Authentication Method");
    }

    private static void CheckTwoByte(MqttPropertyId id, ushort value, MqttDecoderOptions options)
    {
        switch (id)
        {
            case MqttPropertyId.ReceiveMaximum when value == 0:
                throw MqttProtocolException.Protocol("§3.1.2.11.3", "Receive Maximum must not be 0");
            case MqttPropertyId.TopicAlias when value == 0:
                throw new MqttProtocolException(MqttReasonCode.TopicAliasInvalid, "MQTT-3.3.2-8", "Topic Alias 0 is not permitted");
            case MqttPropertyId.TopicAlias when value > options.TopicAliasMaximum:
                throw new MqttProtocolException(MqttReasonCode.TopicAliasInvalid, options.Role == MqttRole.Server ? "MQTT-3.3.2-9" : "MQTT-3.3.2-11",
                    $"Topic Alias {value} is greater than the Topic Alias Maximum {options.TopicAliasMaximum} this side announced");
        }
    }
}
