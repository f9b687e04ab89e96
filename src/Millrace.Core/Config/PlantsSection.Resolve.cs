using Millrace.Core.Model;

namespace Millrace.Core.Config;

internal sealed partial class PlantsSection
{
    public override void Resolve(ConfigContext context)
    {
        var classes = context.Get<ConfigCatalog<AssetClass>>() ?? ConfigCatalog<AssetClass>.Empty;
        var broken = context.Get<BrokenSignals>() ?? new BrokenSignals();
        var storage = _storage.ToDictionary(s => s.Location.Id, s => s.Location, StringComparer.Ordinal);
        var assets = new List<Equipment>(_assets.Count);
        foreach (var draft in _assets)
        {
            var asset = ResolveAsset(draft, classes, broken, storage, context);
            if (asset is not null) assets.Add(asset);
        }

        var watched = assets.Where(a => a.StorageLocationId is not null).Select(a => a.StorageLocationId!).ToHashSet(StringComparer.Ordinal);
        foreach (var (location, at) in _storage)
            if (location.Temperature is not null && !watched.Contains(location.Id))
                context.Warning(at, $"storage location '{location.Id}' has a required temperature but no sensor names it");

        var enterprise = context.Get<Enterprise>() ?? new Enterprise("enterprise", "Enterprise");
        try
        {
            context.Set(EnterpriseModel.Create(enterprise, _sites, _areas, _lines, _cells, assets, _storage.Select(s => s.Location)));
        }
        catch (ArgumentException ex)
        {
            // Unreachable when the checks above are complete; reported rather than thrown so Load never throws.
            context.Error(SourceLocation.StartOf(context.Files.FirstOrDefault() ?? ""), "internal: the enterprise model is inconsistent: " + ex.Message);
            context.Set(EnterpriseModel.Create(enterprise, [], [], [], [], []));
        }
    }

    private static Equipment? ResolveAsset(
        AssetDraft draft, ConfigCatalog<AssetClass> classes, BrokenSignals broken, Dictionary<string, StorageLocation> storage, ConfigContext context)
    {
        if (draft.ClassRef is null) return null;
        if (!classes.TryGet(draft.ClassRef.Value, out var assetClass))
        {
            context.UnknownReference(draft.ClassRef, "asset class", draft.ClassRef.Value, classes.Ids);
            return null;
        }

        string? storageId = null;
        if (draft.StorageRef is { } reference)
        {
            // A bare id names a storage location of the asset's own area; a path names any.
            storageId = reference.Value.Contains(ModelId.PathSeparator)
                ? reference.Value
                : ModelId.Combine(draft.Placement.AreaId, reference.Value);
            if (!storage.ContainsKey(storageId))
            {
                var known = reference.Value.Contains(ModelId.PathSeparator)
                    ? storage.Keys
                    : storage.Values.Where(s => s.AreaId == draft.Placement.AreaId).Select(s => s.LocalId);
                context.UnknownReference(reference, "storage location", reference.Value, known);
                return null;
            }
        }
        else if (assetClass.RequiresStorageLocation)
        {
            context.Error(draft.Location, $"asset '{draft.Id}' of cold-chain class '{assetClass.Id}' must name its 'storage-location'");
            return null;
        }

        var inherited = assetClass.Signals.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var overrides = SignalReader.ReadList(context, draft.Signals, n => inherited.GetValueOrDefault(n), $"asset '{draft.Id}'",
            broken.ByClass.GetValueOrDefault(assetClass.Id));
        var p = draft.Placement;
        return new Equipment(draft.Id, draft.LocalId, draft.Name ?? draft.LocalId, assetClass, p.SiteId, p.AreaId, p.LineId, p.CellId)
        {
            Signals = SignalReader.Merge(assetClass.Signals, overrides.Select(o => o.Signal)),
            StorageLocationId = storageId,
            Manufacturer = draft.Manufacturer,
            Model = draft.Model,
            SerialNumber = draft.Serial,
            Description = draft.Description,
        };
    }
}
