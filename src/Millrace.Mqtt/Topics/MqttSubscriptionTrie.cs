using System.Text;

namespace Millrace.Mqtt.Topics;

/// <summary>
/// The broker's subscription index: a trie over topic levels, with '+' and '#' as dedicated children, so a topic
/// name is matched by walking its levels once (plus the wildcard branches) instead of testing every filter.
/// Keys are UTF-8 bytes compared ordinally ([MQTT-4.7.3-4]); filters starting with a wildcard do not match
/// '$' topics ([MQTT-4.7.2-1]). Shared subscriptions (<c>$share/{ShareName}/{filter}</c>) are kept as groups.
/// A subscriber has at most one subscription per filter; subscribing again replaces its value ([MQTT-3.8.4-3]).
/// Thread-safe: many concurrent matchers, writers exclusive. Visitors run under the read lock and must not call
/// back into the trie.
/// </summary>
/// <typeparam name="TSubscriber">Who subscribed (a session); compared with the given equality comparer.</typeparam>
/// <typeparam name="TValue">Per-subscription data (granted QoS, options, Subscription Identifier, ...).</typeparam>
public sealed class MqttSubscriptionTrie<TSubscriber, TValue> : IDisposable where TSubscriber : notnull
{
    private readonly Node _root;
    private readonly IEqualityComparer<TSubscriber> _comparer;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private int _count;

    /// <summary>Creates an empty index.</summary>
    public MqttSubscriptionTrie(IEqualityComparer<TSubscriber>? comparer = null)
    {
        _comparer = comparer ?? EqualityComparer<TSubscriber>.Default;
        _root = new Node(_comparer);
    }

    /// <summary>Number of subscriptions (each shared-group membership counts once).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds or replaces the subscription of <paramref name="subscriber"/> to <paramref name="filter"/>.</summary>
    /// <returns>True when new, false when an existing subscription's value was replaced.</returns>
    /// <exception cref="ArgumentException">The filter is not a valid Topic Filter.</exception>
    public bool Add(ReadOnlySpan<byte> filter, TSubscriber subscriber, TValue value)
    {
        var status = MqttTopic.ValidateFilter(filter, allowShared: true);
        if (status != MqttTopicFilterStatus.Valid) throw new ArgumentException($"Invalid Topic Filter: {status}.", nameof(filter));
        bool shared = MqttTopic.TryParseShared(filter, out var shareName, out var inner);
        var path = shared ? inner : filter;
        _lock.EnterWriteLock();
        try
        {
            var node = _root;
            foreach (var level in new LevelEnumerator(path)) node = node.GetOrAddChild(level);
            bool added = shared
                ? node.GetOrAddGroup(Encoding.UTF8.GetString(shareName), Encoding.UTF8.GetString(inner)).Set(subscriber, value)
                : node.SetSubscriber(subscriber, value);
            if (added) _count++;
            return added;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <inheritdoc cref="Add(ReadOnlySpan{byte}, TSubscriber, TValue)"/>
    public bool Add(string filter, TSubscriber subscriber, TValue value) => Add(Encoding.UTF8.GetBytes(filter), subscriber, value);

    /// <summary>Removes the subscription of <paramref name="subscriber"/> to exactly <paramref name="filter"/> (compared
    /// character by character, [MQTT-3.10.4-1]); empty branches are pruned.</summary>
    /// <returns>True when a subscription was removed.</returns>
    public bool Remove(ReadOnlySpan<byte> filter, TSubscriber subscriber)
    {
        if (MqttTopic.ValidateFilter(filter, allowShared: true) != MqttTopicFilterStatus.Valid) return false;
        bool shared = MqttTopic.TryParseShared(filter, out var shareName, out var inner);
        var path = shared ? inner : filter;
        _lock.EnterWriteLock();
        try
        {
            bool removed = RemoveLevels(_root, new LevelEnumerator(path), shared ? Encoding.UTF8.GetString(shareName) : null, subscriber);
            if (removed) _count--;
            return removed;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <inheritdoc cref="Remove(ReadOnlySpan{byte}, TSubscriber)"/>
    public bool Remove(string filter, TSubscriber subscriber) => Remove(Encoding.UTF8.GetBytes(filter), subscriber);

    /// <summary>Reports every subscription and shared group whose filter matches <paramref name="topicName"/>.</summary>
    public void Match<TVisitor>(ReadOnlySpan<byte> topicName, ref TVisitor visitor)
        where TVisitor : IMqttSubscriptionVisitor<TSubscriber, TValue>, allows ref struct
    {
        if (topicName.IsEmpty) return;
        _lock.EnterReadLock();
        try
        {
            // Wildcards at the first level do not match topics beginning with '$' [MQTT-4.7.2-1].
            bool dollar = topicName[0] == (byte)'$';
            if (!dollar && _root.Hash is not null) _root.Hash.Report(ref visitor);
            // Iterative walk with an explicit stack: topics and filters can have tens of thousands of levels,
            // recursion on them would let a client overflow the thread's stack.
            var pending = RentStack();
            try
            {
                int slash = topicName.IndexOf((byte)'/');
                var level = slash < 0 ? topicName : topicName[..slash];
                int next = slash < 0 ? -1 : slash + 1;
                if (_root.TryGetChild(level, out var child)) pending.Push(new Frame(child, next));
                if (!dollar && _root.Plus is not null) pending.Push(new Frame(_root.Plus, next));
                while (pending.TryPop(out var frame))
                {
                    var node = frame.Node;
                    node.Hash?.Report(ref visitor); // "a/#" matches "a" and everything below it
                    if (frame.Next < 0)
                    {
                        node.Report(ref visitor);
                        continue;
                    }
                    var rest = topicName[frame.Next..];
                    slash = rest.IndexOf((byte)'/');
                    level = slash < 0 ? rest : rest[..slash];
                    next = slash < 0 ? -1 : frame.Next + slash + 1;
                    if (node.TryGetChild(level, out child)) pending.Push(new Frame(child, next));
                    if (node.Plus is not null) pending.Push(new Frame(node.Plus, next));
                }
            }
            finally
            {
                ReturnStack(pending);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Collects the matches (allocates; for tests and slow paths).</summary>
    public (List<KeyValuePair<TSubscriber, TValue>> Subscriptions, List<MqttSharedSubscriptionGroup<TSubscriber, TValue>> Groups) Match(string topicName)
    {
        var collector = new Collector();
        Match(Encoding.UTF8.GetBytes(topicName), ref collector);
        return (collector.Subscriptions, collector.Groups);
    }

    /// <summary>Number of trie nodes (for pruning checks).</summary>
    internal int NodeCount
    {
        get
        {
            _lock.EnterReadLock();
            try { return _root.CountNodes(); }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock.Dispose();

    /// <summary>A node to visit and where the rest of the topic starts (-1: no levels left).</summary>
    private readonly record struct Frame(Node Node, int Next);

    [ThreadStatic]
    private static Stack<Frame>? t_stack;

    private static Stack<Frame> RentStack()
    {
        var stack = t_stack ?? new Stack<Frame>();
        t_stack = null; // a visitor matching on another trie of the same type gets its own stack
        return stack;
    }

    private static void ReturnStack(Stack<Frame> stack)
    {
        stack.Clear();
        t_stack = stack;
    }

    private static bool RemoveLevels(Node root, LevelEnumerator levels, string? shareName, TSubscriber subscriber)
    {
        // Walk down iteratively (filters may be very deep), then prune emptied nodes bottom-up.
        var path = new List<(Node Parent, byte[] Level)>();
        var node = root;
        foreach (var level in levels)
        {
            var child = node.FindChild(level);
            if (child is null) return false;
            path.Add((node, level.ToArray()));
            node = child;
        }
        bool removed = shareName is null ? node.RemoveSubscriber(subscriber) : node.RemoveFromGroup(shareName, subscriber);
        if (!removed) return false;
        for (int i = path.Count - 1; i >= 0 && node.IsEmpty; i--)
        {
            path[i].Parent.RemoveChild(path[i].Level);
            node = path[i].Parent;
        }
        return true;
    }

    /// <summary>Splits a filter or topic into levels, keeping empty levels ("a//b" has three).</summary>
    private ref struct LevelEnumerator
    {
        private ReadOnlySpan<byte> _rest;
        private bool _done;

        public LevelEnumerator(ReadOnlySpan<byte> path)
        {
            _rest = path;
            _done = false;
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly LevelEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_done) return false;
            int slash = _rest.IndexOf((byte)'/');
            if (slash < 0)
            {
                Current = _rest;
                _done = true;
            }
            else
            {
                Current = _rest[..slash];
                _rest = _rest[(slash + 1)..];
            }
            return true;
        }
    }

    private struct Collector : IMqttSubscriptionVisitor<TSubscriber, TValue>
    {
        public Collector()
        {
        }

        public List<KeyValuePair<TSubscriber, TValue>> Subscriptions { get; } = [];
        public List<MqttSharedSubscriptionGroup<TSubscriber, TValue>> Groups { get; } = [];
        public readonly void OnSubscription(TSubscriber subscriber, TValue value) => Subscriptions.Add(new(subscriber, value));
        public readonly void OnSharedGroup(MqttSharedSubscriptionGroup<TSubscriber, TValue> group) => Groups.Add(group);
    }

    private sealed class Node(IEqualityComparer<TSubscriber> comparer)
    {
        private static readonly byte[] PlusKey = "+"u8.ToArray(), HashKey = "#"u8.ToArray();
        private Dictionary<byte[], Node>? _children;
        private Dictionary<TSubscriber, TValue>? _subscribers;
        private Dictionary<string, MqttSharedSubscriptionGroup<TSubscriber, TValue>>? _groups;

        public Node? Plus { get; private set; }
        public Node? Hash { get; private set; }

        public bool IsEmpty => (_children is null || _children.Count == 0) && Plus is null && Hash is null
            && (_subscribers is null || _subscribers.Count == 0) && (_groups is null || _groups.Count == 0);

        public bool TryGetChild(ReadOnlySpan<byte> level, out Node child)
        {
            if (_children is null)
            {
                child = null!;
                return false;
            }
            return _children.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(level, out child!);
        }

        public Node? FindChild(ReadOnlySpan<byte> level)
        {
            if (level.SequenceEqual(PlusKey)) return Plus;
            if (level.SequenceEqual(HashKey)) return Hash;
            return TryGetChild(level, out var child) ? child : null;
        }

        public Node GetOrAddChild(ReadOnlySpan<byte> level)
        {
            if (level.SequenceEqual(PlusKey)) return Plus ??= new Node(comparer);
            if (level.SequenceEqual(HashKey)) return Hash ??= new Node(comparer);
            _children ??= new Dictionary<byte[], Node>(ByteStringComparer.Instance);
            var lookup = _children.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(level, out var child))
            {
                child = new Node(comparer);
                lookup[level] = child;
            }
            return child;
        }

        public void RemoveChild(ReadOnlySpan<byte> level)
        {
            if (level.SequenceEqual(PlusKey)) Plus = null;
            else if (level.SequenceEqual(HashKey)) Hash = null;
            else _children?.GetAlternateLookup<ReadOnlySpan<byte>>().Remove(level);
        }

        public bool SetSubscriber(TSubscriber subscriber, TValue value)
        {
            _subscribers ??= new Dictionary<TSubscriber, TValue>(comparer);
            bool added = !_subscribers.ContainsKey(subscriber);
            _subscribers[subscriber] = value;
            return added;
        }

        public bool RemoveSubscriber(TSubscriber subscriber) => _subscribers is not null && _subscribers.Remove(subscriber);

        public MqttSharedSubscriptionGroup<TSubscriber, TValue> GetOrAddGroup(string shareName, string filter)
        {
            _groups ??= new Dictionary<string, MqttSharedSubscriptionGroup<TSubscriber, TValue>>(StringComparer.Ordinal);
            if (!_groups.TryGetValue(shareName, out var group)) _groups[shareName] = group = new(shareName, filter, comparer);
            return group;
        }

        public bool RemoveFromGroup(string shareName, TSubscriber subscriber)
        {
            if (_groups is null || !_groups.TryGetValue(shareName, out var group) || !group.Remove(subscriber)) return false;
            if (group.Count == 0) _groups.Remove(shareName);
            return true;
        }

        public void Report<TVisitor>(ref TVisitor visitor)
            where TVisitor : IMqttSubscriptionVisitor<TSubscriber, TValue>, allows ref struct
        {
            if (_subscribers is not null)
                foreach (var (subscriber, value) in _subscribers) visitor.OnSubscription(subscriber, value);
            if (_groups is not null)
                foreach (var group in _groups.Values) visitor.OnSharedGroup(group);
        }

        public int CountNodes()
        {
            int n = 0;
            var pending = new Stack<Node>();
            pending.Push(this);
            while (pending.TryPop(out var node))
            {
                n++;
                if (node.Plus is not null) pending.Push(node.Plus);
                if (node.Hash is not null) pending.Push(node.Hash);
                if (node._children is not null) foreach (var child in node._children.Values) pending.Push(child);
            }
            return n;
        }
    }
}
