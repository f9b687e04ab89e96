using Millrace.Core.Model;

namespace Millrace.Core.Config;

/// <summary>
/// <c>asset-classes:</c> — a list of classes: <c>id</c>, <c>name</c>, <c>description</c>, <c>cold-chain</c>
/// (assets must name a storage location), <c>signals</c>. Publishes <see cref="ConfigCatalog{AssetClass}"/>.
/// </summary>
internal sealed class AssetClassesSection : ConfigSection
{
    internal const string Space = "asset class";
    private readonly List<AssetClass> _classes = [];
    private readonly BrokenSignals _broken = new();

    public override string Key => "asset-classes";

    public override void Read(ConfigNode value, ConfigContext context)
    {
        foreach (var item in context.ReadList(value, "asset classes"))
        {
            var m = context.ReadMapping(item, "asset class");
            if (m is null) continue;
            var id = m.Id();
            if (id is not null) m.What = $"asset class '{id.Value}'";
            var name = m.String("name");
            var description = m.String("description");
            var coldChain = m.Boolean("cold-chain") ?? false;
            var failed = new HashSet<string>(StringComparer.Ordinal);
            var signals = SignalReader.ReadList(context, m.List("signals"), _ => null, m.What, failed: failed);
            m.Complete();
            if (id is null || !context.Declare(Space, id.Value, id.Location, "asset class")) continue;
            if (failed.Count > 0) _broken.ByClass[id.Value] = failed;
            _classes.Add(new AssetClass(id.Value, name ?? id.Value, [.. signals.Select(s => s.Signal)])
            {
                Description = description,
                RequiresStorageLocation = coldChain,
            });
        }
    }

    public override void Resolve(ConfigContext context)
    {
        context.Set(new ConfigCatalog<AssetClass>(_classes, c => c.Id));
        context.Set(_broken);
    }
}

/// <summary>
/// Signal names whose class definition had errors (already reported): asset overrides of them are not checked
/// again, so one mistake in a class does not echo once per asset.
/// </summary>
internal sealed class BrokenSignals
{
    public Dictionary<string, HashSet<string>> ByClass { get; } = new(StringComparer.Ordinal);
}
