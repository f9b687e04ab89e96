using System.Buffers;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.TestSupport;

namespace Millrace.Mqtt.Tests;

public class TopicAliasMapTests
{
    private static MqttPublishPacket Publish(string topic, uint? alias)
    {
        var props = alias is { } a ? new MqttPropertiesBuilder().Add(MqttPropertyId.TopicAlias, a).Build() : default;
        return new MqttPublishPacket { Topic = topic.Length == 0 ? ReadOnlySequence<byte>.Empty : Utf8(topic), Properties = props };
    }

    [Fact]
    public void A_topic_with_an_alias_sets_the_mapping_and_an_empty_topic_uses_it()
    {
        var map = new MqttTopicAliasMap(topicAliasMaximum: 4);
        var buffer = Utf8("plant/7/temp").ToArray();
        var first = new MqttPublishPacket { Topic = new ReadOnlySequence<byte>(buffer), Properties = new MqttPropertiesBuilder().Add(MqttPropertyId.TopicAlias, 2).Build() };
        Assert.Equal("plant/7/temp", Str(map.Resolve(first)));
        Array.Clear(buffer); // the input buffer is recycled: the map kept its own copy
        Assert.Equal("plant/7/temp", Str(map.Resolve(Publish("", 2))));
        Assert.Equal("plant/8/temp", Str(map.Resolve(Publish("plant/8/temp", 2))));
        Assert.Equal("plant/8/temp", Str(map.Resolve(Publish("", 2))));
        Assert.Equal("x", Str(map.Resolve(Publish("x", null))));
    }

    [Fact]
    public void An_unmapped_alias_is_a_protocol_error_and_an_out_of_range_one_is_invalid()
    {
        var map = new MqttTopicAliasMap(topicAliasMaximum: 4);
        Assert.Equal(MqttReasonCode.ProtocolError, Assert.Throws<MqttProtocolException>(() => map.Resolve(Publish("", 3))).ReasonCode);
        Assert.Equal(MqttReasonCode.TopicAliasInvalid, Assert.Throws<MqttProtocolException>(() => map.Resolve(Publish("a", 5))).ReasonCode);
        map.Resolve(Publish("a", 1));
        map.Clear();
        Assert.Throws<MqttProtocolException>(() => map.Resolve(Publish("", 1)));
    }
}
