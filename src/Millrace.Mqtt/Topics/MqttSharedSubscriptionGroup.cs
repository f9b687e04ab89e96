namespace Millrace.Mqtt.Topics;

/// <summary>
/// The members of one Shared Subscription (<c>$share/{ShareName}/{filter}</c>): each matching message goes to one
/// of them (MQTT 5.0 §4.8.2). Members keep subscription order; <see cref="PickNext"/> rotates through them.
/// Read it only inside the match callback that handed it out (the trie may change it afterwards).
/// </summary>
public sealed class MqttSharedSubscriptionGroup<TSubscriber, TValue> where TSubscriber : notnull
{
    private readonly List<KeyValuePair<TSubscriber, TValue>> _members = [];
    private readonly IEqualityComparer<TSubscriber> _comparer;
    private int _cursor = -1;

    internal MqttSharedSubscriptionGroup(string shareName, string filter, IEqualityComparer<TSubscriber> comparer)
    {
        ShareName = shareName;
        Filter = filter;
        _comparer = comparer;
    }

    /// <summary>The ShareName.</summary>
    public string ShareName { get; }

    /// <summary>The Topic Filter after <c>$share/{ShareName}/</c>.</summary>
    public string Filter { get; }

    /// <summary>Number of members.</summary>
    public int Count => _members.Count;

    /// <summary>The members and their subscription values, in subscription order.</summary>
    public IReadOnlyList<KeyValuePair<TSubscriber, TValue>> Members => _members;

    /// <summary>The next member in round-robin order (thread-safe among concurrent matchers).</summary>
    public KeyValuePair<TSubscriber, TValue> PickNext()
    {
        int n = _members.Count;
        if (n == 0) throw new InvalidOperationException("The group has no members.");
        uint i = (uint)Interlocked.Increment(ref _cursor);
        return _members[(int)(i % (uint)n)];
    }

    internal bool Set(TSubscriber subscriber, TValue value)
    {
        for (int i = 0; i < _members.Count; i++)
        {
            if (_comparer.Equals(_members[i].Key, subscriber))
            {
                _members[i] = new(subscriber, value);
                return false;
            }
        }
        _members.Add(new(subscriber, value));
        return true;
    }

    internal bool Remove(TSubscriber subscriber)
    {
        for (int i = 0; i < _members.Count; i++)
        {
            if (_comparer.Equals(_members[i].Key, subscriber))
            {
                _members.RemoveAt(i);
                return true;
            }
        }
        return false;
    }
}
