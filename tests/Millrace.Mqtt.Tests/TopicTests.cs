using System.Text;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Tests;

public class TopicTests
{
    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData("sport/tennis/player1", true)]
    [InlineData("/", true)]
    [InlineData("/finance", true)]
    [InlineData("$SYS/broker/load", true)]
    [InlineData("a b/é", true)]
    [InlineData("", false)]            // [MQTT-4.7.3-1]
    [InlineData("sport/+", false)]     // wildcards never in a Topic Name
    [InlineData("sport/#", false)]
    [InlineData("sp+ort", false)]
    [InlineData("a\0b", false)]        // [MQTT-4.7.3-2]
    public void Topic_names(string name, bool valid) => Assert.Equal(valid, MqttTopic.IsValidTopicName(U(name)));

    [Fact]
    public void A_topic_name_longer_than_65535_bytes_is_invalid()
    {
        Assert.True(MqttTopic.IsValidTopicName(new byte[65_535].Select(_ => (byte)'a').ToArray()));
        Assert.False(MqttTopic.IsValidTopicName(new byte[65_536].Select(_ => (byte)'a').ToArray()));
    }

    [Theory]
    [InlineData("sport/tennis/player1/#", MqttTopicFilterStatus.Valid)]
    [InlineData("sport/#", MqttTopicFilterStatus.Valid)]
    [InlineData("#", MqttTopicFilterStatus.Valid)]
    [InlineData("+", MqttTopicFilterStatus.Valid)]
    [InlineData("+/tennis/#", MqttTopicFilterStatus.Valid)]
    [InlineData("sport/+/player1", MqttTopicFilterStatus.Valid)]
    [InlineData("/+", MqttTopicFilterStatus.Valid)]
    [InlineData("+/+", MqttTopicFilterStatus.Valid)]
    [InlineData("//", MqttTopicFilterStatus.Valid)]
    [InlineData("", MqttTopicFilterStatus.Empty)]
    [InlineData("sport/tennis#", MqttTopicFilterStatus.MisplacedMultiLevelWildcard)]
    [InlineData("sport/tennis/#/ranking", MqttTopicFilterStatus.MisplacedMultiLevelWildcard)]
    [InlineData("##", MqttTopicFilterStatus.MisplacedMultiLevelWildcard)]
    [InlineData("sport+", MqttTopicFilterStatus.MisplacedSingleLevelWildcard)]
    [InlineData("sport/+tennis", MqttTopicFilterStatus.MisplacedSingleLevelWildcard)]
    [InlineData("++", MqttTopicFilterStatus.MisplacedSingleLevelWildcard)]
    [InlineData("a\0", MqttTopicFilterStatus.ContainsNull)]
    [InlineData("$share/group/sport/#", MqttTopicFilterStatus.Valid)]
    [InlineData("$share/group/+", MqttTopicFilterStatus.Valid)]
    [InlineData("$share/group", MqttTopicFilterStatus.InvalidSharedSubscription)]
    [InlineData("$share/group/", MqttTopicFilterStatus.InvalidSharedSubscription)]
    [InlineData("$share//sport", MqttTopicFilterStatus.InvalidSharedSubscription)]
    [InlineData("$share/gr+up/sport", MqttTopicFilterStatus.InvalidSharedSubscription)]
    [InlineData("$share/gr#/sport", MqttTopicFilterStatus.InvalidSharedSubscription)]
    [InlineData("$share/group/sport#", MqttTopicFilterStatus.InvalidSharedSubscription)]
    public void Topic_filters(string filter, MqttTopicFilterStatus expected) => Assert.Equal(expected, MqttTopic.ValidateFilter(U(filter)));

    [Fact]
    public void Without_shared_subscriptions_share_prefixed_filters_are_ordinary_filters()
    {
        Assert.Equal(MqttTopicFilterStatus.Valid, MqttTopic.ValidateFilter(U("$share/group"), allowShared: false));
        Assert.Equal(MqttTopicFilterStatus.Valid, MqttTopic.ValidateFilter(U("$share/+/x"), allowShared: false));
    }

    [Fact]
    public void Shared_subscriptions_split_into_share_name_and_filter()
    {
        Assert.True(MqttTopic.TryParseShared(U("$share/consumers/plant/+/temp"), out var name, out var filter));
        Assert.Equal("consumers", Encoding.UTF8.GetString(name));
        Assert.Equal("plant/+/temp", Encoding.UTF8.GetString(filter));
        Assert.False(MqttTopic.TryParseShared(U("plant/+/temp"), out _, out _));
    }

    [Theory]
    // Examples of 3.1.1/5.0 §4.7.1
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("sport/tennis/#", "sport/tennis", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("#", "/", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player2", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("+", "finance", true)]
    [InlineData("+/tennis/#", "sport/tennis/x", true)]
    [InlineData("sport/tennis", "sport/tennis", true)]
    [InlineData("sport/tennis", "sport/Tennis", false)]   // case-sensitive, no normalization
    [InlineData("sport/tennis", "sport/tennis/", false)]
    [InlineData("sport/tennis/", "sport/tennis", false)]
    [InlineData("a/b", "a", false)]
    [InlineData("a", "a/b", false)]
    [InlineData("a/#", "a/", true)]
    // $-topics are not matched by filters starting with a wildcard [MQTT-4.7.2-1]
    [InlineData("#", "$SYS/broker/load", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [InlineData("+", "$SYS", false)]
    [InlineData("a/+", "a/$b", true)]                    // only the first character of the topic counts
    public void Matching(string filter, string topic, bool matches) => Assert.Equal(matches, MqttTopic.Matches(U(filter), U(topic)));

    [Fact]
    public void Matching_agrees_with_a_naive_level_by_level_reference_on_random_inputs()
    {
        var rng = new Random(4242);
        string[] levels = ["a", "b", "", "$x", "+", "#"];
        int checkedPairs = 0;
        for (int i = 0; i < 20_000; i++)
        {
            string filter = string.Join('/', Enumerable.Range(0, rng.Next(1, 5)).Select(_ => levels[rng.Next(levels.Length)]));
            string topic = string.Join('/', Enumerable.Range(0, rng.Next(1, 5)).Select(_ => levels[rng.Next(4)]));
            if (MqttTopic.ValidateFilter(U(filter), allowShared: false) != MqttTopicFilterStatus.Valid) continue;
            checkedPairs++;
            Assert.True(Reference(filter, topic) == MqttTopic.Matches(U(filter), U(topic)), $"{filter} vs {topic}");
        }
        Assert.True(checkedPairs > 1000);
    }

    /// <summary>Straightforward reading of §4.7: split into levels and compare.</summary>
    private static bool Reference(string filter, string topic)
    {
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#'))) return false;
        var f = filter.Split('/');
        var t = topic.Split('/');
        for (int i = 0; i < f.Length; i++)
        {
            if (f[i] == "#") return true;
            if (i >= t.Length) return false;
            if (f[i] != "+" && f[i] != t[i]) return false;
        }
        return f.Length == t.Length;
    }
}
