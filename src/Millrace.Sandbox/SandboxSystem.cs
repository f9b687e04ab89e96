using System.Globalization;
using System.Text.Json.Nodes;

namespace Millrace.Sandbox;

/// <summary>
/// The state of one sandbox system: its documents by collection, its idempotency records, the count of documents per
/// idempotency key (what tests assert "exactly one document per business fact" with) and its current behaviour.
/// One lock per system: a sandbox favours obviously-correct over fast.
/// </summary>
public sealed class SandboxSystem
{
    private readonly Dictionary<string, List<JsonObject>> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _documentsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sequences = new(StringComparer.Ordinal);
    private SandboxBehaviour _behaviour;
    private Random _random;
    private double _tokens;
    private long _tokensAt;
    private int _replays;

    internal SandboxSystem(string id, SandboxBehaviour behaviour)
    {
        Id = id;
        _behaviour = behaviour;
        _random = new Random(behaviour.Seed);
        _tokens = behaviour.ThrottlePerSecond ?? 0;
        _tokensAt = Environment.TickCount64;
    }

    /// <summary>The system's id and path prefix (<c>erp</c>, <c>eam</c>, …).</summary>
    public string Id { get; }

    /// <summary>Guards every read and write of this system's state.</summary>
    internal object Gate { get; } = new();

    /// <summary>Idempotency records of this system.</summary>
    internal IdempotencyStore Idempotency { get; } = new();

    /// <summary>The current behaviour.</summary>
    public SandboxBehaviour Behaviour
    {
        get { lock (Gate) return _behaviour; }
        set
        {
            lock (Gate)
            {
                _behaviour = value;
                _random = new Random(value.Seed);
                _tokens = value.ThrottlePerSecond ?? 0;
                _tokensAt = Environment.TickCount64;
            }
        }
    }

    /// <summary>A new document id: <c>{prefix}-000001</c>, counting per prefix.</summary>
    internal string NextId(string prefix)
    {
        _sequences.TryGetValue(prefix, out var n);
        _sequences[prefix] = ++n;
        return prefix + "-" + n.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Adds a document to a collection, counting it under its idempotency key (if any).</summary>
    internal void Add(string collection, JsonObject document, string? idempotencyKey)
    {
        Collection(collection).Add(document);
        if (idempotencyKey is not null)
            _documentsByKey[idempotencyKey] = _documentsByKey.GetValueOrDefault(idempotencyKey) + 1;
    }

    /// <summary>The live list of a collection (caller holds <see cref="Gate"/>).</summary>
    internal List<JsonObject> Collection(string name)
    {
        if (!_collections.TryGetValue(name, out var list)) _collections[name] = list = [];
        return list;
    }

    /// <summary>A copy of a collection's documents.</summary>
    public JsonArray Snapshot(string collection)
    {
        lock (Gate) return new JsonArray([.. Collection(collection).Select(d => (JsonNode)d.DeepClone())]);
    }

    /// <summary>How many documents were created under an idempotency key (replays do not count).</summary>
    public int DocumentsWithKey(string key)
    {
        lock (Gate) return _documentsByKey.GetValueOrDefault(key);
    }

    /// <summary>Creates answered from an earlier record (same key and body): the resends a crashed caller made.</summary>
    public int Replays
    {
        get { lock (Gate) return _replays; }
    }

    /// <summary>Counts one replayed create (caller holds <see cref="Gate"/>).</summary>
    internal void CountReplay() => _replays++;

    /// <summary>Every idempotency key this system created documents under, with how many (a copy; exactly-once means all 1).</summary>
    public IReadOnlyDictionary<string, int> DocumentCountsByKey()
    {
        lock (Gate) return new Dictionary<string, int>(_documentsByKey, StringComparer.Ordinal);
    }

    /// <summary>Draws the delay, throttling and error decisions for one request.</summary>
    internal (TimeSpan Delay, int? RetryAfterThrottle, bool Error) Draw()
    {
        lock (Gate)
        {
            var b = _behaviour;
            var delay = TimeSpan.FromMilliseconds(b.LatencyMs + (b.JitterMs > 0 ? _random.Next(b.JitterMs + 1) : 0));
            int? throttled = null;
            if (b.ThrottlePerSecond is > 0 and var rate)
            {
                // token bucket: capacity = rate, refilled at rate per second; an empty bucket answers 429
                long now = Environment.TickCount64;
                _tokens = Math.Min(rate, _tokens + (now - _tokensAt) * rate / 1000.0);
                _tokensAt = now;
                if (_tokens >= 1) _tokens -= 1;
                else throttled = Math.Max(1, (int)Math.Ceiling((1 - _tokens) / rate));
            }
            bool error = b.ErrorRate > 0 && _random.NextDouble() < b.ErrorRate;
            return (delay, throttled, error);
        }
    }
}
