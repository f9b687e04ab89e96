using System.Text;
using Millrace.Mqtt.Topics;

namespace Millrace.Mqtt.Tests;

public class SubscriptionTrieTests
{
    private static MqttSubscriptionTrie<string, int> Trie(params string[] subscriptions)
    {
        var trie = new MqttSubscriptionTrie<string, int>();
        foreach (var s in subscriptions)
        {
            var (client, filter) = (s[..s.IndexOf(':')], s[(s.IndexOf(':') + 1)..]);
            trie.Add(filter, client, 1);
        }
        return trie;
    }

    private static string[] Subscribers(MqttSubscriptionTrie<string, int> trie, string topic)
        => trie.Match(topic).Subscriptions.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Exact_single_level_and_multi_level_filters_match()
    {
        using var trie = Trie("a:sport/tennis/player1", "b:sport/tennis/+", "c:sport/#", "d:#", "e:+/tennis/#", "f:sport/+/player1/#", "g:other");
        Assert.Equal(["a", "b", "c", "d", "e", "f"], Subscribers(trie, "sport/tennis/player1"));
        Assert.Equal(["c", "d", "e"], Subscribers(trie, "sport/tennis"));       // "#" includes the parent level
        Assert.Equal(["c", "d"], Subscribers(trie, "sport"));
        Assert.Equal(["c", "d", "e", "f"], Subscribers(trie, "sport/tennis/player1/ranking"));
        Assert.Equal(["d", "g"], Subscribers(trie, "other"));
    }

    [Fact]
    public void Empty_levels_are_levels()
    {
        using var trie = Trie("a:sport/+", "b:+/+", "c:/+", "d:+");
        Assert.Equal(["a", "b"], Subscribers(trie, "sport/"));
        Assert.Equal(["b", "c"], Subscribers(trie, "/finance"));
        Assert.Equal(["d"], Subscribers(trie, "finance"));
    }

    [Fact]
    public void Dollar_topics_are_not_matched_by_filters_starting_with_a_wildcard()
    {
        using var trie = Trie("a:#", "b:+/monitor/Clients", "c:$SYS/#", "d:$SYS/monitor/+", "e:+");
        Assert.Equal(["c", "d"], Subscribers(trie, "$SYS/monitor/Clients"));
        Assert.Equal(["a", "b"], Subscribers(trie, "x/monitor/Clients"));
        Assert.Equal(["c"], Subscribers(trie, "$SYS"));
    }

    [Fact]
    public void Overlapping_subscriptions_of_one_client_are_each_reported()
    {
        using var trie = Trie("a:sport/#", "a:sport/+");
        Assert.Equal(["a", "a"], Subscribers(trie, "sport/x"));
    }

    [Fact]
    public void Subscribing_again_to_the_same_filter_replaces_the_value()
    {
        using var trie = new MqttSubscriptionTrie<string, int>();
        Assert.True(trie.Add("a/b", "c1", 1));
        Assert.False(trie.Add("a/b", "c1", 2));
        Assert.Equal(1, trie.Count);
        Assert.Equal(2, trie.Match("a/b").Subscriptions.Single().Value);
    }

    [Fact]
    public void Removing_deletes_only_the_exact_filter_and_prunes_empty_branches()
    {
        using var trie = new MqttSubscriptionTrie<string, int>();
        int empty = trie.NodeCount;
        trie.Add("a/b/c", "c1", 1);
        trie.Add("a/+/#", "c1", 1);
        trie.Add("$share/g/a/b/c", "c2", 1);
        Assert.False(trie.Remove("a/b/+", "c1"));          // compared character by character [MQTT-3.10.4-1]
        Assert.False(trie.Remove("a/b/c", "c2"));
        Assert.True(trie.Remove("a/b/c", "c1"));
        Assert.True(trie.Remove("a/+/#", "c1"));
        Assert.True(trie.Remove("$share/g/a/b/c", "c2"));
        Assert.False(trie.Remove("a/b/c", "c1"));
        Assert.Equal(0, trie.Count);
        Assert.Equal(empty, trie.NodeCount);
        Assert.Empty(trie.Match("a/b/c").Subscriptions);
    }

    [Fact]
    public void A_shared_subscription_is_reported_once_per_group_and_rotates_among_members()
    {
        using var trie = new MqttSubscriptionTrie<string, int>();
        trie.Add("$share/loggers/plant/+/temp", "l1", 1);
        trie.Add("$share/loggers/plant/+/temp", "l2", 2);
        trie.Add("$share/alarms/plant/#", "a1", 1);
        trie.Add("plant/+/temp", "direct", 0);
        var (subs, groups) = trie.Match("plant/7/temp");
        Assert.Equal("direct", subs.Single().Key);
        Assert.Equal(["alarms", "loggers"], groups.Select(g => g.ShareName).Order(StringComparer.Ordinal));
        var loggers = groups.Single(g => g.ShareName == "loggers");
        Assert.Equal("plant/+/temp", loggers.Filter);
        var picks = Enumerable.Range(0, 4).Select(_ => loggers.PickNext().Key).ToArray();
        Assert.Equal(["l1", "l2", "l1", "l2"], picks);
        Assert.Equal(4, trie.Count);
    }

    [Fact]
    public void Topics_and_filters_with_thirty_thousand_levels_do_not_exhaust_the_stack()
    {
        // Both come from untrusted clients: a recursive walk would overflow the thread stack and kill the process.
        string deepFilter = string.Join('/', Enumerable.Repeat("+", 30_000));
        string deepTopic = string.Join('/', Enumerable.Repeat("a", 30_000));
        using var trie = new MqttSubscriptionTrie<string, int>();
        trie.Add(deepFilter, "deep", 1);
        trie.Add(string.Join('/', Enumerable.Repeat("a", 29_999)) + "/#", "hash", 1);
        Assert.Equal(["deep", "hash"], Subscribers(trie, deepTopic));
        Assert.True(MqttTopic.Matches(Encoding.UTF8.GetBytes(deepFilter), Encoding.UTF8.GetBytes(deepTopic)));
        Assert.True(trie.Remove(deepFilter, "deep"));
        Assert.Equal(["hash"], Subscribers(trie, deepTopic));
    }

    [Fact]
    public void Invalid_filters_are_refused()
    {
        using var trie = new MqttSubscriptionTrie<string, int>();
        Assert.Throws<ArgumentException>(() => trie.Add("a/#/b", "c", 1));
        Assert.Throws<ArgumentException>(() => trie.Add("$share//a", "c", 1));
        Assert.Throws<ArgumentException>(() => trie.Add("", "c", 1));
    }

    [Fact]
    public void Matching_agrees_with_filter_by_filter_matching_on_random_subscriptions()
    {
        var rng = new Random(77);
        string[] levels = ["a", "b", "", "$s", "+", "#", "é"];
        using var trie = new MqttSubscriptionTrie<string, int>();
        var filters = new List<string>();
        for (int i = 0; filters.Count < 400 && i < 10_000; i++)
        {
            string f = string.Join('/', Enumerable.Range(0, rng.Next(1, 5)).Select(_ => levels[rng.Next(levels.Length)]));
            if (MqttTopic.ValidateFilter(Encoding.UTF8.GetBytes(f), allowShared: false) != MqttTopicFilterStatus.Valid || filters.Contains(f)) continue;
            filters.Add(f);
            trie.Add(f, f, 0); // subscriber named after its filter
        }
        var encoded = filters.Select(f => (Filter: f, Bytes: Encoding.UTF8.GetBytes(f))).ToList();
        for (int i = 0; i < 2_000; i++)
        {
            string topic = string.Join('/', Enumerable.Range(0, rng.Next(1, 5)).Select(_ => levels[rng.Next(4)]));
            if (topic.Length == 0) continue; // not a valid Topic Name [MQTT-4.7.3-1]
            var topicBytes = Encoding.UTF8.GetBytes(topic);
            var expected = encoded.Where(f => MqttTopic.Matches(f.Bytes, topicBytes)).Select(f => f.Filter).Order(StringComparer.Ordinal);
            Assert.Equal(expected, Subscribers(trie, topic));
        }
    }

    [Fact]
    public async Task Concurrent_matching_and_subscribing_is_safe()
    {
        using var trie = new MqttSubscriptionTrie<int, int>();
        for (int i = 0; i < 100; i++) trie.Add($"plant/{i}/+", i, i);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            try
            {
                var visitor = new Counter();
                for (int k = 0; k < 20_000; k++) trie.Match(Encoding.UTF8.GetBytes($"plant/{k % 100}/temp"), ref visitor);
                if (visitor.Seen < 20_000) throw new InvalidOperationException($"only {visitor.Seen} matches");
            }
            catch (Exception e) { failures.Enqueue(e); }
        })).ToArray();
        var writer = Task.Run(() =>
        {
            try
            {
                for (int k = 0; k < 2_000; k++)
                {
                    trie.Add($"line/{k % 50}/#", 1000 + k, k);
                    trie.Remove($"line/{k % 50}/#", 1000 + k);
                }
            }
            catch (Exception e) { failures.Enqueue(e); }
        });
        await Task.WhenAll([.. readers, writer]).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Empty(failures);
        Assert.Equal(100, trie.Count);
    }

    private struct Counter : IMqttSubscriptionVisitor<int, int>
    {
        public int Seen;
        public void OnSubscription(int subscriber, int value) => Seen++;
        public void OnSharedGroup(MqttSharedSubscriptionGroup<int, int> group) => Seen++;
    }
}
