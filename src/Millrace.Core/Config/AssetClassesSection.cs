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
            var signals = SignalReader.ReadList(context, m.List("signals"), _ => null, m.What);
            m.Complete();
            if (id is null || !context.Declare(Space, id.Value, id.Location, "asset class")) continue;
            _classes.Add(new AssetClass(id.Value, name ?? id.Value, [.. signals.Select(s => s.Signal)])
            {
                Description = description,
                RequiresStorageLocation = coldChain,
            });
        }
    }

    public override void Resolve(ConfigContext context) => context.Set(new ConfigCatalog<AssetClass>(_classes, c => c.Id));
}
