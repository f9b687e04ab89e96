using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Millrace.Core.Model;

/// <summary>
/// The enterprise hierarchy with O(1) lookups: elements by full id (string or span, no allocation), an asset's
/// plant/area/line/cell/storage location, the signals of an asset, and dense integer indices for assets
/// (<see cref="Equipment.Index"/>) and (asset, signal) pairs (<see cref="AssetSignal.Index"/>) so the hot path
/// interns names once and then works with arrays. Immutable and safe to share between threads.
/// </summary>
public sealed partial class EnterpriseModel
{
    private readonly FrozenDictionary<string, Site> _sites;
    private readonly FrozenDictionary<string, Area> _areas;
    private readonly FrozenDictionary<string, ProductionLine> _lines;
    private readonly FrozenDictionary<string, WorkCell> _cells;
    private readonly FrozenDictionary<string, StorageLocation> _storage;
    private readonly FrozenDictionary<string, int> _assetIndex;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _assetIndexBySpan;
    private readonly FrozenDictionary<string, int> _signalNameIds;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _signalNameIdsBySpan;
    private readonly FrozenDictionary<string, ImmutableArray<Equipment>> _assetsUnder;
    private readonly FrozenDictionary<string, ImmutableArray<ProductionLine>> _linesUnder;
    private readonly FrozenDictionary<string, ImmutableArray<Equipment>> _sensorsOf;
    private readonly Equipment[] _assets;
    private readonly AssetSignal[] _signals;
    private readonly int[] _signalStart;        // per asset: first signal index; _signalStart[N] = SignalCount
    private readonly int[] _signalByAssetAndName; // [assetIndex * nameCount + nameId] = signal index or -1
    private readonly int _nameCount;

    /// <summary>The enterprise.</summary>
    public Enterprise Enterprise { get; }

    /// <summary>Plants in declaration order.</summary>
    public ImmutableArray<Site> Sites { get; }

    /// <summary>Areas in declaration order.</summary>
    public ImmutableArray<Area> Areas { get; }

    /// <summary>Lines in declaration order.</summary>
    public ImmutableArray<ProductionLine> Lines { get; }

    /// <summary>Work cells in declaration order.</summary>
    public ImmutableArray<WorkCell> Cells { get; }

    /// <summary>Storage locations in declaration order.</summary>
    public ImmutableArray<StorageLocation> StorageLocations { get; }

    /// <summary>Assets by dense index: <c>Assets[i].Index == i</c>.</summary>
    public ImmutableArray<Equipment> Assets { get; }

    /// <summary>(asset, signal) pairs by dense index: <c>Signals[i].Index == i</c>.</summary>
    public ImmutableArray<AssetSignal> Signals { get; }

    /// <summary>Distinct signal names by name id: <c>SignalNames[signal.NameId] == signal.Name</c>.</summary>
    public ImmutableArray<string> SignalNames { get; }

    /// <summary>Number of assets (N); asset indices are 0..N-1.</summary>
    public int AssetCount => _assets.Length;

    /// <summary>Number of (asset, signal) pairs (M); signal indices are 0..M-1.</summary>
    public int SignalCount => _signals.Length;

    /// <summary>The asset with dense index <paramref name="index"/>.</summary>
    public Equipment GetAsset(int index) => _assets[index];

    /// <summary>The (asset, signal) pair with dense index <paramref name="index"/>.</summary>
    public AssetSignal GetSignal(int index) => _signals[index];

    /// <summary>Finds an asset by full id.</summary>
    public bool TryGetAsset(string id, [NotNullWhen(true)] out Equipment? asset) => TryGetAsset(id.AsSpan(), out asset);

    /// <summary>Finds an asset by full id given as characters (no allocation).</summary>
    public bool TryGetAsset(ReadOnlySpan<char> id, [NotNullWhen(true)] out Equipment? asset)
    {
        if (_assetIndexBySpan.TryGetValue(id, out var i))
        {
            asset = _assets[i];
            return true;
        }
        asset = null;
        return false;
    }

    /// <summary>Interns an asset full id to its dense index (no allocation).</summary>
    public bool TryGetAssetIndex(ReadOnlySpan<char> id, out int index) => _assetIndexBySpan.TryGetValue(id, out index);

    /// <summary>Finds a plant by id.</summary>
    public bool TryGetSite(string id, [NotNullWhen(true)] out Site? site) => _sites.TryGetValue(id, out site);

    /// <summary>Finds an area by full id.</summary>
    public bool TryGetArea(string id, [NotNullWhen(true)] out Area? area) => _areas.TryGetValue(id, out area);

    /// <summary>Finds a line by full id.</summary>
    public bool TryGetLine(string id, [NotNullWhen(true)] out ProductionLine? line) => _lines.TryGetValue(id, out line);

    /// <summary>Finds a work cell by full id.</summary>
    public bool TryGetCell(string id, [NotNullWhen(true)] out WorkCell? cell) => _cells.TryGetValue(id, out cell);

    /// <summary>Finds a storage location by full id.</summary>
    public bool TryGetStorageLocation(string id, [NotNullWhen(true)] out StorageLocation? location)
        => _storage.TryGetValue(id, out location);

    /// <summary>The plant of an asset.</summary>
    public Site GetSite(Equipment asset) => _sites[asset.SiteId];

    /// <summary>The area of an asset.</summary>
    public Area GetArea(Equipment asset) => _areas[asset.AreaId];

    /// <summary>The line of an asset, or null when it is not on a line.</summary>
    public ProductionLine? GetLine(Equipment asset) => asset.LineId is { } id ? _lines[id] : null;

    /// <summary>The work cell of an asset, or null.</summary>
    public WorkCell? GetCell(Equipment asset) => asset.CellId is { } id ? _cells[id] : null;

    /// <summary>The storage location a cold-chain sensor watches, or null.</summary>
    public StorageLocation? GetStorageLocation(Equipment asset)
        => asset.StorageLocationId is { } id ? _storage[id] : null;

    /// <summary>The sensors that watch a storage location.</summary>
    public ImmutableArray<Equipment> GetSensors(StorageLocation location)
        => _sensorsOf.TryGetValue(location.Id, out var sensors) ? sensors : [];

    /// <summary>All assets beneath a plant, area, line or cell (by full id), in declaration order.</summary>
    public ImmutableArray<Equipment> GetAssetsUnder(string containerId)
        => _assetsUnder.TryGetValue(containerId, out var assets) ? assets : [];

    /// <summary>The lines of a plant or area (by full id).</summary>
    public ImmutableArray<ProductionLine> GetLinesUnder(string containerId)
        => _linesUnder.TryGetValue(containerId, out var lines) ? lines : [];

    /// <summary>The signals of an asset (class signals with overrides), with their dense indices.</summary>
    public ReadOnlySpan<AssetSignal> GetSignals(int assetIndex)
        => _signals.AsSpan(_signalStart[assetIndex], _signalStart[assetIndex + 1] - _signalStart[assetIndex]);

    /// <summary>The signals of an asset of this model.</summary>
    public ReadOnlySpan<AssetSignal> GetSignals(Equipment asset) => GetSignals(asset.Index);

    /// <summary>Interns a signal name to its name id (no allocation).</summary>
    public bool TryGetSignalNameId(ReadOnlySpan<char> name, out int nameId) => _signalNameIdsBySpan.TryGetValue(name, out nameId);

    /// <summary>The dense signal index of (asset, name id): one array read.</summary>
    public bool TryGetSignalIndex(int assetIndex, int nameId, out int signalIndex)
    {
        if ((uint)assetIndex >= (uint)_assets.Length || (uint)nameId >= (uint)_nameCount)
        {
            signalIndex = -1;
            return false;
        }
        signalIndex = _signalByAssetAndName[assetIndex * _nameCount + nameId];
        return signalIndex >= 0;
    }

    /// <summary>The dense signal index of an asset's signal by name (no allocation).</summary>
    public bool TryGetSignalIndex(int assetIndex, ReadOnlySpan<char> signalName, out int signalIndex)
    {
        signalIndex = -1;
        return TryGetSignalNameId(signalName, out var nameId) && TryGetSignalIndex(assetIndex, nameId, out signalIndex);
    }

    /// <summary>Finds an asset's signal by asset full id and signal name.</summary>
    public bool TryGetSignal(ReadOnlySpan<char> assetId, ReadOnlySpan<char> signalName, [NotNullWhen(true)] out AssetSignal? signal)
    {
        signal = null;
        if (!TryGetAssetIndex(assetId, out var a) || !TryGetSignalIndex(a, signalName, out var s)) return false;
        signal = _signals[s];
        return true;
    }

    /// <summary>Finds a signal by its key <c>asset-id:signal-name</c>.</summary>
    public bool TryGetSignal(ReadOnlySpan<char> signalKey, [NotNullWhen(true)] out AssetSignal? signal)
    {
        var colon = signalKey.LastIndexOf(ModelId.SignalSeparator);
        if (colon < 0)
        {
            signal = null;
            return false;
        }
        return TryGetSignal(signalKey[..colon], signalKey[(colon + 1)..], out signal);
    }
}
