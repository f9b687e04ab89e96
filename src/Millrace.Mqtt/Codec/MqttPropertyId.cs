namespace Millrace.Mqtt.Codec;

/// <summary>MQTT 5.0 property identifiers (§2.2.2.2, Table 2-4).</summary>
public enum MqttPropertyId : byte
{
    /// <summary>Byte; PUBLISH, Will Properties.</summary>
    PayloadFormatIndicator = 0x01,
    /// <summary>Four Byte Integer; PUBLISH, Will Properties.</summary>
    MessageExpiryInterval = 0x02,
    /// <summary>UTF-8 Encoded String; PUBLISH, Will Properties.</summary>
    ContentType = 0x03,
    /// <summary>UTF-8 Encoded String; PUBLISH, Will Properties.</summary>
    ResponseTopic = 0x08,
    /// <summary>Binary Data; PUBLISH, Will Properties.</summary>
    CorrelationData = 0x09,
    /// <summary>Variable Byte Integer; PUBLISH, SUBSCRIBE.</summary>
    SubscriptionIdentifier = 0x0B,
    /// <summary>Four Byte Integer; CONNECT, CONNACK, DISCONNECT.</summary>
    SessionExpiryInterval = 0x11,
    /// <summary>UTF-8 Encoded String; CONNACK.</summary>
    AssignedClientIdentifier = 0x12,
    /// <summary>Two Byte Integer; CONNACK.</summary>
    ServerKeepAlive = 0x13,
    /// <summary>UTF-8 Encoded String; CONNECT, CONNACK, AUTH.</summary>
    AuthenticationMethod = 0x15,
    /// <summary>Binary Data; CONNECT, CONNACK, AUTH.</summary>
    AuthenticationData = 0x16,
    /// <summary>Byte; CONNECT.</summary>
    RequestProblemInformation = 0x17,
    /// <summary>Four Byte Integer; Will Properties.</summary>
    WillDelayInterval = 0x18,
    /// <summary>Byte; CONNECT.</summary>
    RequestResponseInformation = 0x19,
    /// <summary>UTF-8 Encoded String; CONNACK.</summary>
    ResponseInformation = 0x1A,
    /// <summary>UTF-8 Encoded String; CONNACK, DISCONNECT.</summary>
    ServerReference = 0x1C,
    /// <summary>UTF-8 Encoded String; CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH.</summary>
    ReasonString = 0x1F,
    /// <summary>Two Byte Integer; CONNECT, CONNACK.</summary>
    ReceiveMaximum = 0x21,
    /// <summary>Two Byte Integer; CONNECT, CONNACK.</summary>
    TopicAliasMaximum = 0x22,
    /// <summary>Two Byte Integer; PUBLISH.</summary>
    TopicAlias = 0x23,
    /// <summary>Byte; CONNACK.</summary>
    MaximumQoS = 0x24,
    /// <summary>Byte; CONNACK.</summary>
    RetainAvailable = 0x25,
    /// <summary>UTF-8 String Pair; every packet with properties; may repeat.</summary>
    UserProperty = 0x26,
    /// <summary>Four Byte Integer; CONNECT, CONNACK.</summary>
    MaximumPacketSize = 0x27,
    /// <summary>Byte; CONNACK.</summary>
    WildcardSubscriptionAvailable = 0x28,
    /// <summary>Byte; CONNACK.</summary>
    SubscriptionIdentifierAvailable = 0x29,
    /// <summary>Byte; CONNACK.</summary>
    SharedSubscriptionAvailable = 0x2A,
}

/// <summary>Wire data type of a property value (§1.5).</summary>
public enum MqttPropertyType : byte
{
    /// <summary>Not a defined property.</summary>
    None,
    /// <summary>One byte.</summary>
    Byte,
    /// <summary>Big-endian 16-bit integer.</summary>
    TwoByteInteger,
    /// <summary>Big-endian 32-bit integer.</summary>
    FourByteInteger,
    /// <summary>Variable Byte Integer.</summary>
    VariableByteInteger,
    /// <summary>Length-prefixed UTF-8 string.</summary>
    Utf8String,
    /// <summary>Length-prefixed binary data.</summary>
    BinaryData,
    /// <summary>Two UTF-8 strings (name, value).</summary>
    Utf8StringPair,
}

/// <summary>Which property set is being read: packets (and the Will) allow different identifiers.</summary>
public enum MqttPropertyContext : byte
{
    /// <summary>CONNECT variable header.</summary>
    Connect,
    /// <summary>CONNECT payload Will Properties.</summary>
    Will,
    /// <summary>CONNACK.</summary>
    ConnAck,
    /// <summary>PUBLISH.</summary>
    Publish,
    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP.</summary>
    PublishResponse,
    /// <summary>SUBSCRIBE.</summary>
    Subscribe,
    /// <summary>SUBACK.</summary>
    SubAck,
    /// <summary>UNSUBSCRIBE.</summary>
    Unsubscribe,
    /// <summary>UNSUBACK.</summary>
    UnsubAck,
    /// <summary>DISCONNECT.</summary>
    Disconnect,
    /// <summary>AUTH.</summary>
    Auth,
}

/// <summary>Static facts about property identifiers: type and where each may appear.</summary>
public static class MqttPropertyTable
{
    private static readonly MqttPropertyType[] Types = BuildTypes();
    private static readonly ulong[] Allowed = BuildAllowed();

    /// <summary>The data type of <paramref name="id"/>, or <see cref="MqttPropertyType.None"/> when undefined.</summary>
    public static MqttPropertyType GetType(int id) => (uint)id < (uint)Types.Length ? Types[id] : MqttPropertyType.None;

    /// <summary>Whether <paramref name="id"/> may appear in <paramref name="context"/>.</summary>
    public static bool IsAllowed(MqttPropertyContext context, int id) => (uint)id < 64 && (Allowed[(int)context] & (1UL << id)) != 0;

    private static MqttPropertyType[] BuildTypes()
    {
        var t = new MqttPropertyType[0x2B];
        foreach (var id in new[] { 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A }) t[id] = MqttPropertyType.Byte;
        foreach (var id in new[] { 0x13, 0x21, 0x22, 0x23 }) t[id] = MqttPropertyType.TwoByteInteger;
        foreach (var id in new[] { 0x02, 0x11, 0x18, 0x27 }) t[id] = MqttPropertyType.FourByteInteger;
        t[0x0B] = MqttPropertyType.VariableByteInteger;
        foreach (var id in new[] { 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F }) t[id] = MqttPropertyType.Utf8String;
        t[0x09] = MqttPropertyType.BinaryData;
        t[0x16] = MqttPropertyType.BinaryData;
        t[0x26] = MqttPropertyType.Utf8StringPair;
        return t;
    }

    private static ulong Mask(params MqttPropertyId[] ids)
    {
        ulong m = 1UL << (int)MqttPropertyId.UserProperty; // User Property is allowed everywhere properties are
        foreach (var id in ids) m |= 1UL << (int)id;
        return m;
    }

    private static ulong[] BuildAllowed()
    {
        var a = new ulong[11];
        a[(int)MqttPropertyContext.Connect] = Mask(MqttPropertyId.SessionExpiryInterval, MqttPropertyId.ReceiveMaximum,
            MqttPropertyId.MaximumPacketSize, MqttPropertyId.TopicAliasMaximum, MqttPropertyId.RequestResponseInformation,
            MqttPropertyId.RequestProblemInformation, MqttPropertyId.AuthenticationMethod, MqttPropertyId.AuthenticationData);
        a[(int)MqttPropertyContext.Will] = Mask(MqttPropertyId.WillDelayInterval, MqttPropertyId.PayloadFormatIndicator,
            MqttPropertyId.MessageExpiryInterval, MqttPropertyId.ContentType, MqttPropertyId.ResponseTopic, MqttPropertyId.CorrelationData);
        a[(int)MqttPropertyContext.ConnAck] = Mask(MqttPropertyId.SessionExpiryInterval, MqttPropertyId.ReceiveMaximum,
            MqttPropertyId.MaximumQoS, MqttPropertyId.RetainAvailable, MqttPropertyId.MaximumPacketSize,
            MqttPropertyId.AssignedClientIdentifier, MqttPropertyId.TopicAliasMaximum, MqttPropertyId.ReasonString,
            MqttPropertyId.WildcardSubscriptionAvailable, MqttPropertyId.SubscriptionIdentifierAvailable,
            MqttPropertyId.SharedSubscriptionAvailable, MqttPropertyId.ServerKeepAlive, MqttPropertyId.ResponseInformation,
            MqttPropertyId.ServerReference, MqttPropertyId.AuthenticationMethod, MqttPropertyId.AuthenticationData);
        a[(int)MqttPropertyContext.Publish] = Mask(MqttPropertyId.PayloadFormatIndicator, MqttPropertyId.MessageExpiryInterval,
            MqttPropertyId.TopicAlias, MqttPropertyId.ResponseTopic, MqttPropertyId.CorrelationData,
            MqttPropertyId.SubscriptionIdentifier, MqttPropertyId.ContentType);
        a[(int)MqttPropertyContext.PublishResponse] = Mask(MqttPropertyId.ReasonString);
        a[(int)MqttPropertyContext.Subscribe] = Mask(MqttPropertyId.SubscriptionIdentifier);
        a[(int)MqttPropertyContext.SubAck] = Mask(MqttPropertyId.ReasonString);
        a[(int)MqttPropertyContext.Unsubscribe] = Mask();
        a[(int)MqttPropertyContext.UnsubAck] = Mask(MqttPropertyId.ReasonString);
        a[(int)MqttPropertyContext.Disconnect] = Mask(MqttPropertyId.SessionExpiryInterval, MqttPropertyId.ReasonString,
            MqttPropertyId.ServerReference);
        a[(int)MqttPropertyContext.Auth] = Mask(MqttPropertyId.AuthenticationMethod, MqttPropertyId.AuthenticationData,
            MqttPropertyId.ReasonString);
        return a;
    }
}
