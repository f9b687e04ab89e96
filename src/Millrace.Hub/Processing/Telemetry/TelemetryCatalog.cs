using Millrace.Core.Units;

namespace Millrace.Hub.Processing.Telemetry;

/// <summary>An asset as the telemetry path needs it: its id, plant and declared signals.</summary>
/// <param name="Id">Full asset id, e.g. <c>plant-03/line-2/cnc-07</c>.</param>
/// <param name="Plant">Plant (site) id the asset belongs to.</param>
/// <param name="Signals">The asset's signals.</param>
public sealed record CatalogAsset(string Id, string Plant, IReadOnlyList<CatalogSignal> Signals);

/// <summary>A signal as the telemetry path needs it.</summary>
/// <param name="Name">Signal name, unique per asset.</param>
/// <param name="Unit">Declared unit; null for unit-less signals (states, flags).</param>
/// <param name="States">For state signals, the state names: a sample may send the name, it is stored as its index.</param>
public sealed record CatalogSignal(string Name, Unit? Unit, IReadOnlyList<string>? States = null);

/// <summary>
/// Interns asset and signal names to dense integers once, so the hot path compares integers and indexes arrays.
/// Lookups take <see cref="ReadOnlySpan{T}"/> of chars and allocate nothing.
/// </summary>
public sealed class TelemetryCatalog
{
    private readonly Dictionary<string, int> _assets;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _assetLookup;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>[] _signalLookups;
    private readonly string[] _assetIds;
    private readonly int[] _assetPlant;
    private readonly string[] _plants;
    private readonly Dictionary<string, int> _plantIndex;
    private readonly string[] _signalNames;
    private readonly int[] _signalAsset;
    private readonly Unit?[] _signalUnits;
    private readonly IReadOnlyList<string>?[] _signalStates;

    private TelemetryCatalog(IReadOnlyList<CatalogAsset> assets)
    {
        _assets = new Dictionary<string, int>(assets.Count, StringComparer.Ordinal);
        _assetIds = new string[assets.Count];
        _assetPlant = new int[assets.Count];
        _signalLookups = new Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>[assets.Count];
        _plantIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var plants = new List<string>();
        var names = new List<string>();
        var owners = new List<int>();
        var units = new List<Unit?>();
        var states = new List<IReadOnlyList<string>?>();
        for (int a = 0; a < assets.Count; a++)
        {
            var asset = assets[a];
            if (!_assets.TryAdd(asset.Id, a)) throw new ArgumentException($"asset '{asset.Id}' appears twice", nameof(assets));
            _assetIds[a] = asset.Id;
            if (!_plantIndex.TryGetValue(asset.Plant, out int p))
            {
                p = plants.Count;
                plants.Add(asset.Plant);
                _plantIndex.Add(asset.Plant, p);
            }
            _assetPlant[a] = p;
            var signals = new Dictionary<string, int>(asset.Signals.Count, StringComparer.Ordinal);
            foreach (var signal in asset.Signals)
            {
                if (!signals.TryAdd(signal.Name, names.Count)) throw new ArgumentException($"signal '{signal.Name}' appears twice on asset '{asset.Id}'", nameof(assets));
                names.Add(signal.Name);
                owners.Add(a);
                units.Add(signal.Unit);
                states.Add(signal.States is { Count: > 0 } ? signal.States : null);
            }
            _signalLookups[a] = signals.GetAlternateLookup<ReadOnlySpan<char>>();
        }
        _assetLookup = _assets.GetAlternateLookup<ReadOnlySpan<char>>();
        _plants = plants.ToArray();
        _signalNames = names.ToArray();
        _signalAsset = owners.ToArray();
        _signalUnits = units.ToArray();
        _signalStates = states.ToArray();
    }

    /// <summary>Builds the catalogue; asset order defines the asset indices.</summary>
    public static TelemetryCatalog Build(IReadOnlyList<CatalogAsset> assets) => new(assets);

    /// <summary>Number of assets.</summary>
    public int AssetCount => _assetIds.Length;

    /// <summary>Number of (asset, signal) pairs.</summary>
    public int SignalCount => _signalNames.Length;

    /// <summary>Plant ids, by plant index.</summary>
    public IReadOnlyList<string> Plants => _plants;

    /// <summary>Finds an asset by its full id.</summary>
    public bool TryFindAsset(ReadOnlySpan<char> id, out int asset) => _assetLookup.TryGetValue(id, out asset);

    /// <summary>Finds a signal of an asset by name.</summary>
    public bool TryFindSignal(int asset, ReadOnlySpan<char> name, out int signal) => _signalLookups[asset].TryGetValue(name, out signal);

    /// <summary>True when <paramref name="plant"/> is a known plant id.</summary>
    public bool IsPlant(string plant) => _plantIndex.ContainsKey(plant);

    /// <summary>Full id of an asset.</summary>
    public string AssetId(int asset) => _assetIds[asset];

    /// <summary>Plant index of an asset.</summary>
    public int PlantOf(int asset) => _assetPlant[asset];

    /// <summary>Name of a signal.</summary>
    public string SignalName(int signal) => _signalNames[signal];

    /// <summary>Asset owning a signal.</summary>
    public int AssetOfSignal(int signal) => _signalAsset[signal];

    /// <summary>Declared unit of a signal (incoming values are converted to it); null when unit-less.</summary>
    public Unit? SignalUnit(int signal) => _signalUnits[signal];

    /// <summary>Finds the index of a named state of a state signal.</summary>
    public bool TryFindState(int signal, ReadOnlySpan<char> state, out int index)
    {
        index = -1;
        if (_signalStates[signal] is not { } names) return false;
        for (int i = 0; i < names.Count; i++)
            if (state.SequenceEqual(names[i])) { index = i; return true; }
        return false;
    }

    /// <summary>State names of a state signal, or null.</summary>
    public IReadOnlyList<string>? SignalStates(int signal) => _signalStates[signal];

    /// <summary>
    /// The catalogue of an enterprise model, in the model's own index order, so asset and signal indices are the
    /// model's <see cref="Millrace.Core.Model.Equipment.Index"/> and <see cref="Millrace.Core.Model.AssetSignal.Index"/>.
    /// </summary>
    public static TelemetryCatalog From(Millrace.Core.Model.EnterpriseModel model)
    {
        var assets = new CatalogAsset[model.AssetCount];
        for (int a = 0; a < assets.Length; a++)
        {
            var equipment = model.GetAsset(a);
            var signals = new List<CatalogSignal>();
            foreach (var signal in model.GetSignals(a))
                signals.Add(new CatalogSignal(signal.Name, signal.Definition.Unit, signal.Definition.States.IsDefaultOrEmpty ? null : signal.Definition.States));
            assets[a] = new CatalogAsset(equipment.Id, equipment.SiteId, signals);
        }
        return Build(assets);
    }
}
