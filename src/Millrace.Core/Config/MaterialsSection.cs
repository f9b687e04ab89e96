using Millrace.Core.Model;

namespace Millrace.Core.Config;

/// <summary>
/// <c>materials:</c> — a list of materials: <c>id</c> (a material number: letters of either case, digits,
/// '-', '_', '.'), <c>name</c>, <c>unit</c> (base unit of measure, required), <c>description</c>,
/// <c>storage-temperature</c> (<c>min</c>, <c>max</c>, <c>unit</c>). Publishes <see cref="ConfigCatalog{Material}"/>.
/// </summary>
internal sealed class MaterialsSection : ConfigSection
{
    private readonly List<Material> _materials = [];

    public override string Key => "materials";

    public override void Read(ConfigNode value, ConfigContext context)
    {
        foreach (var item in context.ReadList(value, "materials"))
        {
            var m = context.ReadMapping(item, "material");
            if (m is null) continue;
            var id = m.Text("id", required: true);
            if (id is not null && !IsMaterialNumber(id.Value))
            {
                context.Error(id, $"invalid material id '{id.Value}': use letters, digits, '-', '_' and '.' (at most 64 characters)");
                id = null;
            }
            if (id is not null) m.What = $"material '{id.Value}'";
            var name = m.String("name");
            var unit = m.Unit("unit", required: true);
            var description = m.String("description");
            var temperature = TemperatureReader.Read(context, m, "storage-temperature");
            m.Complete();
            if (id is null || unit is null || !context.Declare("material", id.Value, id.Location, "material")) continue;
            _materials.Add(new Material(id.Value, name ?? id.Value, unit) { Description = description, StorageTemperature = temperature });
        }
    }

    public override void Resolve(ConfigContext context) => context.Set(new ConfigCatalog<Material>(_materials, m => m.Id));

    private static bool IsMaterialNumber(string id) =>
        id.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
