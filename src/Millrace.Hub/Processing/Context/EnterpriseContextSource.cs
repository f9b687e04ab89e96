using Millrace.Core.Events;
using Millrace.Core.Model;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Processing.Context;

/// <summary>
/// The hub's <see cref="IAssetContextSource"/>: the ISA-95 place of every asset from the enterprise model, and the
/// production context of every line and storage location as a short timeline moved by context events
/// (<see cref="ContextEvents"/>). Lookups are array reads plus a scan of at most <see cref="LineTimeline.Capacity"/>
/// periods; no I/O, no locks, and no allocation once an asset's context is cached.
/// </summary>
/// <remarks>
/// Thread safety: timelines are immutable and replaced whole with a volatile write under a writer lock, so shards read
/// them from any thread without locking. Each asset's last answer is cached as one immutable object (also replaced
/// whole), so the per-sample call returns the same <see cref="AssetContext"/> instance until the period changes.
/// </remarks>
public sealed class EnterpriseContextSource : IAssetContextSource
{
    private readonly string[] _assetIds;
    private readonly string[] _plantIds;
    private readonly string?[] _lineIds;
    private readonly string?[] _cellIds;
    private readonly string?[] _storageIds;
    private readonly int[] _lineScope;    // per asset: timeline index of its line, or -1
    private readonly int[] _storageScope; // per asset: timeline index of its storage location, or -1
    private readonly Dictionary<string, int> _scopes = new(StringComparer.Ordinal);
    private readonly LineTimeline[] _timelines;
    private readonly Cached?[] _cache;
    private readonly Lock _writer = new();
    private long _applied;

    private EnterpriseContextSource(int assets, IEnumerable<string> scopeIds)
    {
        _assetIds = new string[assets];
        _plantIds = new string[assets];
        _lineIds = new string?[assets];
        _cellIds = new string?[assets];
        _storageIds = new string?[assets];
        _lineScope = new int[assets];
        _storageScope = new int[assets];
        _cache = new Cached?[assets];
        foreach (var id in scopeIds) _scopes.TryAdd(id, _scopes.Count);
        _timelines = new LineTimeline[_scopes.Count];
        Array.Fill(_timelines, LineTimeline.Empty);
    }

    /// <summary>Context for every asset of <paramref name="model"/>, by the model's dense asset index.</summary>
    public static EnterpriseContextSource From(EnterpriseModel model)
    {
        var source = new EnterpriseContextSource(model.AssetCount,
            model.Lines.Select(l => l.Id).Concat(model.StorageLocations.Select(s => s.Id)));
        for (int a = 0; a < model.AssetCount; a++)
        {
            var asset = model.GetAsset(a);
            source.Place(a, asset.Id, asset.SiteId, asset.LineId, asset.CellId, asset.StorageLocationId);
        }
        return source;
    }

    /// <summary>
    /// Context for a catalogue without an enterprise model (tests, tools): an asset id of three or more segments
    /// (<c>plant/line/asset</c>) is taken to sit on the line named by its first two.
    /// </summary>
    public static EnterpriseContextSource From(TelemetryCatalog catalog)
    {
        var lines = new string?[catalog.AssetCount];
        for (int a = 0; a < lines.Length; a++)
        {
            string id = catalog.AssetId(a);
            int first = id.IndexOf('/', StringComparison.Ordinal);
            int second = first < 0 ? -1 : id.IndexOf('/', first + 1);
            lines[a] = second > 0 ? id[..second] : null;
        }
        var source = new EnterpriseContextSource(catalog.AssetCount, lines.OfType<string>().Distinct(StringComparer.Ordinal));
        for (int a = 0; a < lines.Length; a++)
            source.Place(a, catalog.AssetId(a), catalog.Plants[catalog.PlantOf(a)], lines[a], null, null);
        return source;
    }

    private void Place(int asset, string id, string plant, string? line, string? cell, string? storage)
    {
        _assetIds[asset] = id;
        _plantIds[asset] = plant;
        _lineIds[asset] = line;
        _cellIds[asset] = cell;
        _storageIds[asset] = storage;
        _lineScope[asset] = line is not null && _scopes.TryGetValue(line, out int l) ? l : -1;
        _storageScope[asset] = storage is not null && _scopes.TryGetValue(storage, out int s) ? s : -1;
    }

    /// <summary>Context events applied so far (including ones that changed nothing).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <inheritdoc />
    public AssetContext At(int asset, long timeMs)
    {
        int line = _lineScope[asset];
        int storage = _storageScope[asset];
        var period = line >= 0 ? Volatile.Read(ref _timelines[line]).At(timeMs) : null;
        var stored = storage >= 0 ? Volatile.Read(ref _timelines[storage]).At(timeMs) : null;
        var cached = Volatile.Read(ref _cache[asset]);
        if (cached is not null && ReferenceEquals(cached.Period, period) && ReferenceEquals(cached.Stored, stored)) return cached.Context;
        var context = new AssetContext(asset, _assetIds[asset], _plantIds[asset], _lineIds[asset], _cellIds[asset],
            period?.Order, period?.LotId ?? stored?.LotId, _storageIds[asset]);
        Volatile.Write(ref _cache[asset], new Cached(period, stored, context));
        return context;
    }

    /// <summary>
    /// Applies a context event (<see cref="ContextEvents"/>); returns false when the event is not one or names a line
    /// or location the model does not know. Safe to call from any thread, concurrently with <see cref="At"/>.
    /// </summary>
    public bool Apply(CloudEvent e) => ContextEvents.Read(e) is { } change && Apply(change);

    internal bool Apply(ContextChange change)
    {
        if (!_scopes.TryGetValue(change.ScopeId, out int scope)) return false;
        lock (_writer)
        {
            var timeline = _timelines[scope];
            if (change.EndsOrderId is { } ending && timeline.At(change.Period.FromMs)?.Order?.OrderId != ending)
                return false; // a later order already replaced it: closing the old one changes nothing
            Volatile.Write(ref _timelines[scope], timeline.With(change.Period));
        }
        Interlocked.Increment(ref _applied);
        return true;
    }

    private sealed record Cached(LinePeriod? Period, LinePeriod? Stored, AssetContext Context);
}
