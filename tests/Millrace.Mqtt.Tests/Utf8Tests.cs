using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Tests;

public class Utf8Tests
{
    [Theory]
    [InlineData("", MqttUtf8Status.Valid)]
    [InlineData("73656E736F72", MqttUtf8Status.Valid)]               // "sensor"
    [InlineData("C3A9", MqttUtf8Status.Valid)]                       // é
    [InlineData("F0AA9B94", MqttUtf8Status.Valid)]                   // U+2A6D4, the spec's example
    [InlineData("EFBBBF41", MqttUtf8Status.Valid)]                   // BOM is kept as U+FEFF [MQTT-1.5.4-3]
    [InlineData("4100", MqttUtf8Status.ContainsNull)]                // U+0000 [MQTT-1.5.4-2]
    [InlineData("EDA080", MqttUtf8Status.IllFormed)]                 // encoded surrogate U+D800 [MQTT-1.5.4-1]
    [InlineData("EDBFBF", MqttUtf8Status.IllFormed)]                 // encoded surrogate U+DFFF
    [InlineData("C080", MqttUtf8Status.IllFormed)]                   // overlong NUL
    [InlineData("C3", MqttUtf8Status.IllFormed)]                     // truncated sequence
    [InlineData("FF", MqttUtf8Status.IllFormed)]
    [InlineData("F4908080", MqttUtf8Status.IllFormed)]               // above U+10FFFF
    public void Strings_follow_the_MQTT_UTF8_rules(string hex, MqttUtf8Status expected)
        => Assert.Equal(expected, MqttUtf8.Validate(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("41 01")]
    [InlineData("41 1F")]
    [InlineData("7F")]
    [InlineData("C2 80")]
    [InlineData("C3 A9 C2 9F")]
    public void Control_characters_are_rejected_only_when_asked(string hex)
    {
        var bytes = TestSupport.Hex(hex);
        Assert.Equal(MqttUtf8Status.Valid, MqttUtf8.Validate(bytes));
        Assert.Equal(MqttUtf8Status.ContainsControlCharacter, MqttUtf8.Validate(bytes, rejectControlCharacters: true));
    }

    [Fact]
    public void A_code_point_split_across_segments_is_validated_whole()
    {
        var bytes = TestSupport.Hex("41 F0 AA 9B 94 42");
        Assert.Equal(MqttUtf8Status.Valid, MqttUtf8.Validate(TestSupport.Split(bytes, 2, 3, 4)));
        var bad = TestSupport.Hex("41 ED A0 80");
        Assert.Equal(MqttUtf8Status.IllFormed, MqttUtf8.Validate(TestSupport.Split(bad, 2)));
    }
}
