using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Millrace.Core.Model;

public sealed partial class EnterpriseModel
{
    /// <summary>
    /// Builds the index. Assets get dense indices in the order given; their signals get consecutive indices.
    /// Every reference (area→plant, line→area, cell→line, asset→area/line/cell/storage location) must resolve
    /// and every full id must be unique; the configuration loader guarantees this and reports violations with
    /// positions, other callers get an <see cref="ArgumentException"/>.
    /// </summary>
    public static EnterpriseModel Create(
        Enterprise enterprise,
        IEnumerable<Site> sites,
        IEnumerable<Area> areas,
        IEnumerable<ProductionLine> lines,
        IEnumerable<WorkCell> cells,
        IEnumerable<Equipment> assets,
        IEnumerable<StorageLocation>? storageLocations = null)
        => new(enterprise, [.. sites], [.. areas], [.. lines], [.. cells], [.. assets], [.. storageLocations ?? []]);

    private EnterpriseModel(
        Enterprise enterprise,
        ImmutableArray<Site> sites,
        ImmutableArray<Area> areas,
        ImmutableArray<ProductionLine> lines,
        ImmutableArray<WorkCell> cells,
        ImmutableArray<Equipment> assets,
        ImmutableArray<StorageLocation> storage)
    {
        ArgumentNullException.ThrowIfNull(enterprise);
        Enterprise = enterprise;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Claim(string id, string what)
        {
            if (!ids.Add(id)) throw new ArgumentException($"duplicate id '{id}' ({what})");
        }

        foreach (var s in sites) Claim(s.Id, "plant");
        _sites = sites.ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var a in areas)
        {
            Claim(a.Id, "area");
            Require(_sites.ContainsKey(a.SiteId), $"area '{a.Id}' names unknown plant '{a.SiteId}'");
        }
        _areas = areas.ToFrozenDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var l in lines)
        {
            Claim(l.Id, "line");
            Require(_areas.TryGetValue(l.AreaId, out var area) && area.SiteId == l.SiteId,
                $"line '{l.Id}' names unknown area '{l.AreaId}' of plant '{l.SiteId}'");
        }
        _lines = lines.ToFrozenDictionary(l => l.Id, StringComparer.Ordinal);
        foreach (var c in cells)
        {
            Claim(c.Id, "work cell");
            Require(_lines.TryGetValue(c.LineId, out var line) && line.AreaId == c.AreaId && line.SiteId == c.SiteId,
                $"work cell '{c.Id}' names unknown line '{c.LineId}'");
        }
        _cells = cells.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var s in storage)
        {
            Claim(s.Id, "storage location");
            Require(_areas.TryGetValue(s.AreaId, out var area) && area.SiteId == s.SiteId,
                $"storage location '{s.Id}' names unknown area '{s.AreaId}'");
        }
        _storage = storage.ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);

        // Dense asset indices, then consecutive signal indices per asset.
        _assets = new Equipment[assets.Length];
        var nameIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var signalCount = 0;
        for (var i = 0; i < assets.Length; i++)
        {
            var asset = assets[i];
            Claim(asset.Id, "asset");
            CheckPlacement(asset);
            _assets[i] = asset.Index == i ? asset : asset with { Index = i };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var signal in asset.Signals)
            {
                Require(seen.Add(signal.Name), $"asset '{asset.Id}' has two signals named '{signal.Name}'");
                if (!nameIds.ContainsKey(signal.Name))
                {
                    nameIds.Add(signal.Name, names.Count);
                    names.Add(signal.Name);
                }
            }
            signalCount += asset.Signals.Length;
        }
        _nameCount = names.Count;
        _signals = new AssetSignal[signalCount];
        _signalStart = new int[_assets.Length + 1];
        _signalByAssetAndName = new int[_assets.Length * _nameCount];
        Array.Fill(_signalByAssetAndName, -1);
        var next = 0;
        for (var i = 0; i < _assets.Length; i++)
        {
            _signalStart[i] = next;
            foreach (var definition in _assets[i].Signals)
            {
                var nameId = nameIds[definition.Name];
                _signals[next] = new AssetSignal(next, _assets[i], definition, nameId, ModelId.SignalKey(_assets[i].Id, definition.Name));
                _signalByAssetAndName[i * _nameCount + nameId] = next;
                next++;
            }
        }
        _signalStart[_assets.Length] = next;

        _assetIndex = _assets.ToFrozenDictionary(a => a.Id, a => a.Index, StringComparer.Ordinal);
        _assetIndexBySpan = _assetIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        _signalNameIds = nameIds.ToFrozenDictionary(StringComparer.Ordinal);
        _signalNameIdsBySpan = _signalNameIds.GetAlternateLookup<ReadOnlySpan<char>>();

        Sites = sites;
        Areas = areas;
        Lines = lines;
        Cells = cells;
        StorageLocations = storage;
        Assets = ImmutableArray.Create(_assets);
        Signals = ImmutableArray.Create(_signals);
        SignalNames = [.. names];

        var under = new Dictionary<string, List<Equipment>>(StringComparer.Ordinal);
        var sensors = new Dictionary<string, List<Equipment>>(StringComparer.Ordinal);
        foreach (var asset in _assets)
        {
            foreach (var container in new[] { asset.SiteId, asset.AreaId, asset.LineId, asset.CellId })
                if (container is not null) Add(under, container, asset);
            if (asset.StorageLocationId is { } location) Add(sensors, location, asset);
        }
        _assetsUnder = under.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray(), StringComparer.Ordinal);
        _sensorsOf = sensors.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray(), StringComparer.Ordinal);
        var linesUnder = new Dictionary<string, List<ProductionLine>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            Add(linesUnder, line.SiteId, line);
            Add(linesUnder, line.AreaId, line);
        }
        _linesUnder = linesUnder.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray(), StringComparer.Ordinal);
    }

    private void CheckPlacement(Equipment asset)
    {
        Require(_areas.TryGetValue(asset.AreaId, out var area) && area.SiteId == asset.SiteId,
            $"asset '{asset.Id}' names unknown area '{asset.AreaId}' of plant '{asset.SiteId}'");
        if (asset.LineId is { } lineId)
            Require(_lines.TryGetValue(lineId, out var line) && line.AreaId == asset.AreaId,
                $"asset '{asset.Id}' names unknown line '{lineId}' in area '{asset.AreaId}'");
        if (asset.CellId is { } cellId)
            Require(_cells.TryGetValue(cellId, out var cell) && cell.LineId == asset.LineId,
                $"asset '{asset.Id}' names unknown work cell '{cellId}' on line '{asset.LineId}'");
        if (asset.StorageLocationId is { } storageId)
            Require(_storage.ContainsKey(storageId), $"asset '{asset.Id}' names unknown storage location '{storageId}'");
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
