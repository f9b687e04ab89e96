using Millrace.Core.Config;
using Millrace.Core.Model;

namespace Millrace.Core.Tests.Config;

/// <summary>Later features add top-level sections without touching the loader.</summary>
public sealed class SectionRegistryTests
{
    private sealed record Rules(IReadOnlyList<string> Ids);

    /// <summary>A stand-in for the rules section of a later issue: reads ids, checks assets exist.</summary>
    private sealed class RulesSection : ConfigSection
    {
        private readonly List<(string Id, ConfigScalar Asset)> _rules = [];

        public override string Key => "rules";

        public override void Read(ConfigNode value, ConfigContext context)
        {
            foreach (var item in context.ReadList(value, "rules"))
            {
                var m = context.ReadMapping(item, "rule");
                if (m is null) continue;
                var id = m.Id();
                var asset = m.Text("asset", required: true);
                m.Complete();
                if (id is not null && asset is not null) _rules.Add((id.Value, asset));
            }
        }

        public override void Resolve(ConfigContext context)
        {
            var model = context.Get<EnterpriseModel>()!;
            foreach (var (_, asset) in _rules)
                if (!model.TryGetAsset(asset.Value, out _)) context.UnknownReference(asset, "asset", asset.Value, model.Assets.Select(a => a.Id));
            context.Set(new Rules(_rules.Select(r => r.Id).ToList()));
        }
    }

    private sealed class ExplodingSection : ConfigSection
    {
        public override string Key => "explode";
        public override void Read(ConfigNode value, ConfigContext context) => throw new InvalidOperationException("boom");
    }

    private const string Plant = "plants:\n  - id: plant-01\n    name: Lyon\n    areas:\n      - id: machining\n        lines:\n          - id: cnc-1\n            assets:\n              - id: cnc-01\n                class: cnc-mill\n";

    [Fact]
    public void A_registered_section_reads_its_key_resolves_against_the_model_and_publishes_its_result()
    {
        using var dir = new TempConfig().WithBasics().Write("plants/plant-01.yaml", Plant)
            .Write("rules.yaml", "rules:\n  - id: vibration-high\n    asset: plant-01/cnc-1/cnc-01\n  - id: ghost\n    asset: plant-01/cnc-1/cnc-02\n");
        var loader = new ConfigLoader(ConfigSectionRegistry.CreateDefault().Add(() => new RulesSection()));
        var result = loader.LoadDirectory(dir.Directory);
        Assert.Equal(["rules.yaml:5:12: unknown asset 'plant-01/cnc-1/cnc-02'; did you mean 'plant-01/cnc-1/cnc-01'?"], result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(["vibration-high", "ghost"], result.Config.Get<Rules>()!.Ids);
    }

    [Fact]
    public void Without_the_section_registered_its_key_is_unknown()
    {
        using var dir = new TempConfig().WithBasics().Write("rules.yaml", "rules: []\n");
        Assert.StartsWith("rules.yaml:1:1: unknown top-level section 'rules'", ConfigLoader.Load(dir.Directory).Diagnostics.Single().ToString());
    }

    [Fact]
    public void A_section_that_throws_becomes_a_diagnostic_at_its_key()
    {
        using var dir = new TempConfig().WithBasics().Write("x.yaml", "\nexplode: 1\n");
        var result = new ConfigLoader(ConfigSectionRegistry.CreateDefault().Add(() => new ExplodingSection())).LoadDirectory(dir.Directory);
        Assert.Equal(["x.yaml:2:1: internal error in section 'explode': InvalidOperationException: boom"], result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Registering_a_key_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ConfigSectionRegistry.CreateDefault().Add(() => new SourcesSection()));
    }
}
