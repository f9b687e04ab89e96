namespace Millrace.Mqtt.Codec;

/// <summary>Settings of one connection's decoder. Immutable once the decoder is created.</summary>
public sealed record MqttDecoderOptions
{
    /// <summary>Which end reads: a server reads client packets, a client reads server packets.</summary>
    public MqttRole Role { get; init; } = MqttRole.Server;

    /// <summary>
    /// For <see cref="MqttRole.Client"/>: the version the client sent in CONNECT (required).
    /// For <see cref="MqttRole.Server"/>: leave <see cref="MqttProtocolVersion.Unknown"/>; CONNECT decides it.
    /// </summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.Unknown;

    /// <summary>
    /// Largest whole packet (fixed header included) accepted; checked from the Remaining Length before the
    /// packet is buffered. Exceeding it fails with 0x95 Packet too large. Default: the protocol maximum.
    /// </summary>
    public int MaximumPacketSize { get; init; } = 1 + VariableByteInteger.MaxLength + VariableByteInteger.MaxValue;

    /// <summary>The Topic Alias Maximum this side announced (5.0); a larger alias fails with 0x94. Default 0: no aliases.</summary>
    public ushort TopicAliasMaximum { get; init; }

    /// <summary>Reject strings containing U+0001..U+001F or U+007F..U+009F (the specs let a receiver close on them).</summary>
    public bool RejectControlCharacters { get; init; }

    /// <summary>
    /// When a 5.0 PUBLISH (or Will) says Payload Format Indicator = 1, check the payload is valid UTF-8 and fail with
    /// 0x99 Payload format invalid when not (the spec says the receiver MAY; mosquitto does). Default true.
    /// </summary>
    public bool ValidatePayloadFormat { get; init; } = true;

    /// <summary>Default server-side options.</summary>
    public static MqttDecoderOptions Server { get; } = new();

    /// <summary>Client-side options for the given version.</summary>
    public static MqttDecoderOptions ForClient(MqttProtocolVersion version) => new() { Role = MqttRole.Client, ProtocolVersion = version };
}
