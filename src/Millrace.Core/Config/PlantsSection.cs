using Millrace.Core.Model;

namespace Millrace.Core.Config;

/// <summary>
/// <c>plants:</c> — a list of plants, each with nested <c>areas</c>; an area holds <c>lines</c>, <c>assets</c>
/// (outside any line) and <c>storage-locations</c>; a line holds <c>cells</c> and <c>assets</c>; a cell holds
/// <c>assets</c>. May appear in many files (one per plant is the convention). Full ids follow <see cref="ModelId"/>;
/// every full id is unique across the enterprise. Resolves asset classes and storage locations, then publishes the
/// <see cref="EnterpriseModel"/>.
/// </summary>
internal sealed partial class PlantsSection : ConfigSection
{
    internal const string ElementSpace = "element";
    private readonly List<Site> _sites = [];
    private readonly List<Area> _areas = [];
    private readonly List<ProductionLine> _lines = [];
    private readonly List<WorkCell> _cells = [];
    private readonly List<(StorageLocation Location, SourceLocation At)> _storage = [];
    private readonly List<AssetDraft> _assets = [];

    public override string Key => "plants";

    public override void Read(ConfigNode value, ConfigContext context)
    {
        foreach (var item in context.ReadList(value, "plants")) ReadPlant(item, context);
    }

    private void ReadPlant(ConfigNode node, ConfigContext context)
    {
        var m = context.ReadMapping(node, "plant");
        if (m is null) return;
        var id = m.Id();
        if (id is not null) m.What = $"plant '{id.Value}'";
        var name = m.String("name", required: true);
        var city = m.String("city");
        var country = m.Text("country");
        if (country is not null && !(country.Value.Length == 2 && country.Value.All(char.IsAsciiLetterUpper)))
            context.Error(country, $"'country' must be an ISO 3166 two-letter code in capitals (e.g. 'FR'), got '{country.Value}'");
        var zone = m.Text("timezone");
        if (zone is not null && TimeZones.Explain(zone.Value) is { } zoneError) context.Error(zone, zoneError);
        var description = m.String("description");
        var areas = m.List("areas");
        m.Complete();
        if (id is null || !context.Declare(ElementSpace, id.Value, id.Location, "plant")) return;
        _sites.Add(new Site(id.Value, name ?? id.Value) { City = city, Country = country?.Value, TimeZone = zone?.Value, Description = description });
        foreach (var area in areas) ReadArea(area, id.Value, context);
    }

    private void ReadArea(ConfigNode node, string siteId, ConfigContext context)
    {
        var m = context.ReadMapping(node, "area");
        if (m is null) return;
        var local = m.Id();
        var fullId = local is null ? null : ModelId.Combine(siteId, local.Value);
        if (fullId is not null) m.What = $"area '{fullId}'";
        var name = m.String("name");
        var description = m.String("description");
        var lines = m.List("lines");
        var assets = m.List("assets");
        var storage = m.List("storage-locations");
        m.Complete();
        if (local is null || fullId is null || !context.Declare(ElementSpace, fullId, local.Location, "area")) return;
        _areas.Add(new Area(fullId, local.Value, siteId, name ?? local.Value) { Description = description });
        foreach (var s in storage) ReadStorageLocation(s, siteId, fullId, context);
        foreach (var line in lines) ReadLine(line, siteId, fullId, context);
        foreach (var asset in assets) ReadAsset(asset, new Placement(siteId, fullId, null, null, fullId), context);
    }

    private void ReadLine(ConfigNode node, string siteId, string areaId, ConfigContext context)
    {
        var m = context.ReadMapping(node, "line");
        if (m is null) return;
        var local = m.Id();
        var fullId = local is null ? null : ModelId.Combine(siteId, local.Value);
        if (fullId is not null) m.What = $"line '{fullId}'";
        var name = m.String("name");
        var description = m.String("description");
        var cells = m.List("cells");
        var assets = m.List("assets");
        m.Complete();
        if (local is null || fullId is null || !context.Declare(ElementSpace, fullId, local.Location, "line")) return;
        _lines.Add(new ProductionLine(fullId, local.Value, siteId, areaId, name ?? local.Value) { Description = description });
        foreach (var cell in cells) ReadCell(cell, siteId, areaId, fullId, context);
        foreach (var asset in assets) ReadAsset(asset, new Placement(siteId, areaId, fullId, null, fullId), context);
    }

    private void ReadCell(ConfigNode node, string siteId, string areaId, string lineId, ConfigContext context)
    {
        var m = context.ReadMapping(node, "work cell");
        if (m is null) return;
        var local = m.Id();
        var fullId = local is null ? null : ModelId.Combine(lineId, local.Value);
        if (fullId is not null) m.What = $"work cell '{fullId}'";
        var name = m.String("name");
        var description = m.String("description");
        var assets = m.List("assets");
        m.Complete();
        if (local is null || fullId is null || !context.Declare(ElementSpace, fullId, local.Location, "work cell")) return;
        _cells.Add(new WorkCell(fullId, local.Value, siteId, areaId, lineId, name ?? local.Value) { Description = description });
        // Assets in a cell keep the line as their parent path: plant/line/asset.
        foreach (var asset in assets) ReadAsset(asset, new Placement(siteId, areaId, lineId, fullId, lineId), context);
    }

    private void ReadStorageLocation(ConfigNode node, string siteId, string areaId, ConfigContext context)
    {
        var m = context.ReadMapping(node, "storage location");
        if (m is null) return;
        var local = m.Id();
        var fullId = local is null ? null : ModelId.Combine(areaId, local.Value);
        if (fullId is not null) m.What = $"storage location '{fullId}'";
        var name = m.String("name");
        var description = m.String("description");
        var temperature = TemperatureReader.Read(context, m, "temperature");
        m.Complete();
        if (local is null || fullId is null || !context.Declare(ElementSpace, fullId, local.Location, "storage location")) return;
        _storage.Add((new StorageLocation(fullId, local.Value, siteId, areaId, name ?? local.Value)
        {
            Description = description,
            Temperature = temperature,
        }, local.Location));
    }

    private void ReadAsset(ConfigNode node, Placement placement, ConfigContext context)
    {
        var m = context.ReadMapping(node, "asset");
        if (m is null) return;
        var local = m.Id();
        var fullId = local is null ? null : ModelId.Combine(placement.ParentPath, local.Value);
        if (fullId is not null) m.What = $"asset '{fullId}'";
        var draft = new AssetDraft
        {
            Placement = placement,
            Location = m.Location,
            Name = m.String("name"),
            ClassRef = m.Text("class", required: true),
            StorageRef = m.Text("storage-location"),
            Manufacturer = m.String("manufacturer"),
            Model = m.String("model"),
            Serial = m.String("serial"),
            Description = m.String("description"),
            Signals = m.List("signals"),
        };
        m.Complete();
        if (local is null || fullId is null || !context.Declare(ElementSpace, fullId, local.Location, "asset")) return;
        draft.Id = fullId;
        draft.LocalId = local.Value;
        _assets.Add(draft);
    }

    /// <summary>Where an asset sits: its containers and the path its id extends.</summary>
    private sealed record Placement(string SiteId, string AreaId, string? LineId, string? CellId, string ParentPath);

    private sealed class AssetDraft
    {
        public string Id = "";
        public string LocalId = "";
        public required Placement Placement;
        public required SourceLocation Location;
        public string? Name, Manufacturer, Model, Serial, Description;
        public ConfigScalar? ClassRef, StorageRef;
        public IReadOnlyList<ConfigNode> Signals = [];
    }
}
