using Millrace.Core.Config;
using Millrace.Hub.Governance;
using Millrace.Hub.Workflows.Definitions;

namespace Millrace.Hub.Tests.Workflows;

public sealed class WorkflowsSectionSpecs
{
    [Fact]
    public void The_four_field_workflows_of_samples_acme_load_without_errors()
    {
        var result = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(HubFixture.RepositoryRoot, "samples", "acme"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var catalog = result.Config.Get<WorkflowCatalog>()!;
        Assert.Equal(["predictive-maintenance", "production-completion", "quality-exception", "cold-chain"], catalog.Definitions.Select(d => d.Id));
        var pm = catalog.Definitions[0];
        Assert.NotNull(Assert.IsType<CallStep>(pm.AllSteps().Single(s => s.Id == "reserve")).Compensate);
        Assert.Contains(pm.AllSteps(), s => s is ApprovalStep);
        Assert.Contains(catalog.Definitions[2].AllSteps(), s => s is ParallelStep);
        foreach (var d in catalog.Definitions) Millrace.Hub.Workflows.Engine.CompiledWorkflow.Compile(d); // the engine compiles what validation passed
    }

    [Fact]
    public void Mistakes_are_reported_at_file_line_and_column()
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-wf-config", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(Path.Combine(HubFixture.RepositoryRoot, "samples", "acme", "schemas", "schemas.yaml"), Path.Combine(dir, "schemas.yaml"));
            foreach (var f in Directory.GetFiles(Path.Combine(HubFixture.RepositoryRoot, "samples", "acme", "schemas"), "*.json"))
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            File.WriteAllText(Path.Combine(dir, "workflows.yaml"), """
                workflows:
                  - id: broken
                    version: 1
                    trigger: { event: com.acme.maintenance.alert.raised.v9 }
                    steps:
                      - id: case
                        call: eam.create-maintenance-case
                        input: { asset: "{event.data.asset}", ref: "{steps.cas.output.case}" }
                      - id: case
                        wait: { event: com.acme.asset.downtime.ended.v1, key: event.data.asset, correlate: event.data.asset, timeout: soon }
                """);
            var result = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(dir);
            var errors = result.Diagnostics.Select(d => d.ToString()).ToList();
            Assert.Contains(errors, e => e.Contains("workflows.yaml:4:", StringComparison.Ordinal) && e.Contains("com.acme.maintenance.alert.raised.v9", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("workflows.yaml:8:", StringComparison.Ordinal) && e.Contains("steps.cas.output", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("workflows.yaml:9:", StringComparison.Ordinal) && e.Contains("used twice", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("workflows.yaml:10:", StringComparison.Ordinal) && e.Contains("duration", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
