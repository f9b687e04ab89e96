using Millrace.Core.Model;

namespace Millrace.Core.Config;

/// <summary>
/// <c>enterprise:</c> — exactly once across all files: <c>id</c> (required), <c>name</c> (required),
/// <c>description</c>. Publishes <see cref="Enterprise"/>.
/// </summary>
internal sealed class EnterpriseSection : ConfigSection
{
    private Enterprise? _enterprise;
    private SourceLocation? _first;

    public override string Key => "enterprise";

    public override void Read(ConfigNode value, ConfigContext context)
    {
        if (_first is { } first)
        {
            context.Error(value, $"the 'enterprise' section appears twice (first at {first})");
            return;
        }
        _first = value.Location;
        var m = context.ReadMapping(value, "enterprise");
        if (m is null) return;
        var id = m.Id();
        var name = m.String("name", required: true);
        var description = m.String("description");
        m.Complete();
        if (id is not null && name is not null)
            _enterprise = new Enterprise(id.Value, name) { Description = description };
    }

    public override void Resolve(ConfigContext context)
    {
        if (_first is null && context.Files.Count > 0)
            context.Error(SourceLocation.StartOf(context.Files[0]), "no 'enterprise' section in any file (add one with 'id' and 'name')");
        context.Set(_enterprise ?? new Enterprise("enterprise", "Enterprise"));
    }
}
