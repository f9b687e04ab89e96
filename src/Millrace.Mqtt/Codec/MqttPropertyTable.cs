namespace Millrace.Mqtt.Codec;

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
