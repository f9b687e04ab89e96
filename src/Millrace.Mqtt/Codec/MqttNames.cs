namespace Millrace.Mqtt.Codec;

/// <summary>Display names computed once, so hot paths never format enums (Enum.ToString allocates).</summary>
internal static class MqttNames
{
    private static readonly string[] Packets = Enumerable.Range(0, 16).Select(i => ((MqttPacketType)i).ToString().ToUpperInvariant()).ToArray();
    private static readonly string[] Properties = Enumerable.Range(0, 64).Select(i => ((MqttPropertyId)i).ToString()).ToArray();

    public static string Packet(MqttPacketType type) => Packets[(int)type & 0x0F];

    public static string Property(int id) => (uint)id < (uint)Properties.Length ? Properties[id] : $"0x{id:X2}";
}
