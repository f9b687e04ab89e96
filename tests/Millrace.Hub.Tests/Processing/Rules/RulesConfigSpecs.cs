using Millrace.Core.Config;
using Millrace.Hub.Processing.Rules;

namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary>The <c>rules:</c> section rejects bad rules at load, each problem at its file:line:col.</summary>
public sealed class RulesConfigSpecs
{
    private static ConfigDiagnostic SingleError(string rules)
    {
        var result = RulePlant.Load(rules);
        var errors = result.Errors.ToList();
        Assert.True(errors.Count == 1, string.Join("\n", result.Diagnostics));
        return errors[0];
    }

    [Fact]
    public void Valid_rules_are_published_as_a_rule_book_with_their_settings()
    {
        var result = RulePlant.Load("""
            rule-settings:
              allowed-lateness: 5s
            rules:
              - id: hot
                kind: threshold
                classes: [cnc-mill]
                signal: spindle-temperature
                above: 60
                event: com.acme.maintenance.alert.raised.v1
            """);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var book = result.Config.Get<RuleBook>()!;
        Assert.Equal(5_000, book.Settings.AllowedLatenessMs);
        var rule = Assert.IsType<ThresholdRuleDefinition>(Assert.Single(book.Rules));
        Assert.Equal((60.0, 60.0, 1), (rule.Parameters.Above!.Value, rule.Parameters.ClearBelow, rule.Parameters.Consecutive));
    }

    [Fact]
    public void An_unknown_signal_for_the_class_is_reported_at_the_signal_with_a_suggestion()
    {
        var error = SingleError("""
            rules:
              - id: vib
                kind: threshold
                class: cnc-mill
                signal: spindle-vibraton
                above: 7.1
                event: com.acme.maintenance.alert.raised.v1
            """);
        Assert.Equal(("rules.yaml", 5, 13), (error.File, error.Line, error.Column));
        Assert.Contains("unknown signal for asset class 'cnc-mill': 'spindle-vibraton'; did you mean 'spindle-vibration'?", error.Message);
    }

    [Fact]
    public void A_signal_of_the_wrong_kind_for_the_rule_kind_is_rejected()
    {
        var error = SingleError("""
            rules:
              - id: production
                kind: counter-quantity
                class: filler
                good: speed
                every: 100
                event: com.acme.production.completed.v1
            """);
        Assert.Equal((5, 11), (error.Line, error.Column));
        Assert.Contains("signal 'speed' of asset class 'filler' is a gauge; a counter-quantity rule needs a counter signal", error.Message);
    }

    [Fact]
    public void A_bad_expression_is_reported_at_its_own_column_in_the_file()
    {
        var error = SingleError("""
            rules:
              - id: vib
                kind: threshold
                class: cnc-mill
                signal: spindle-vibration
                above: 7.1
                when: quality == 'good' and signal.spindle_temp > 20
                event: com.acme.maintenance.alert.raised.v1
            """);
        // "when: " starts the scalar at column 11; the unknown field starts 22 characters into it
        Assert.Equal((7, 33), (error.Line, error.Column));
        Assert.Contains("unknown field 'signal.spindle_temp'", error.Message);
    }

    [Fact]
    public void Inverted_hysteresis_is_rejected_at_the_clear_limit()
    {
        var error = SingleError("""
            rules:
              - id: vib
                kind: threshold
                class: cnc-mill
                signal: spindle-vibration
                above: 4.5
                clear-below: 7.1
                event: com.acme.maintenance.alert.raised.v1
            """);
        Assert.Equal((7, 18), (error.Line, error.Column));
        Assert.Contains("hysteresis inverted", error.Message);
    }

    [Fact]
    public void An_event_type_missing_from_the_catalogue_is_rejected_when_schemas_are_configured()
    {
        var result = new ConfigLoader(Millrace.Hub.Governance.GovernanceConfig.Sections()).LoadFiles(
        [
            new ConfigFile("classes.yaml", RulePlant.Classes), new ConfigFile("plant.yaml", RulePlant.Plants),
            new ConfigFile("rules.yaml", """
                rules:
                  - id: vib
                    kind: threshold
                    class: cnc-mill
                    signal: spindle-vibration
                    above: 7.1
                    event: com.acme.maintenance.alert.raisd.v1
                """),
        ]);
        // in-memory files cannot carry schema files, so build the catalogue check with a directory instead
        Assert.False(result.HasErrors); // no catalogue configured: any type is accepted
        var dir = Path.Combine(Path.GetTempPath(), "millrace-rules-config", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "classes.yaml"), RulePlant.Classes);
            File.WriteAllText(Path.Combine(dir, "plant.yaml"), RulePlant.Plants);
            File.WriteAllText(Path.Combine(dir, "alert.json"), """{"type":"object"}""");
            File.WriteAllText(Path.Combine(dir, "schemas.yaml"), "schemas:\n  - subject: com.acme.maintenance.alert.raised.v1\n    file: alert.json\n");
            File.WriteAllText(Path.Combine(dir, "rules.yaml"), "rules:\n  - id: vib\n    kind: threshold\n    class: cnc-mill\n    signal: spindle-vibration\n    above: 7.1\n    event: com.acme.maintenance.alert.raisd.v1\n");
            var loaded = new ConfigLoader(Millrace.Hub.Governance.GovernanceConfig.Sections()).LoadDirectory(dir);
            var error = Assert.Single(loaded.Errors);
            Assert.Equal(("rules.yaml", 7, 12), (error.File, error.Line, error.Column));
            Assert.Contains("unknown event type 'com.acme.maintenance.alert.raisd.v1'; did you mean 'com.acme.maintenance.alert.raised.v1'?", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("kind: treshold\n    class: cnc-mill", 3, "unknown rule kind 'treshold'; did you mean 'threshold'?")]
    [InlineData("kind: threshold\n    class: cnc-mil\n    signal: spindle-vibration\n    above: 7", 4, "unknown asset class 'cnc-mil'; did you mean 'cnc-mill'?")]
    [InlineData("kind: state-machine\n    class: filler\n    signal: state\n    states: [{ name: broken, reason: breakdown }]\n    ended-event: x.ended", 6, "unknown state of signal 'state' in asset class 'filler': 'broken'")]
    [InlineData("kind: window\n    class: filler\n    signal: speed\n    tumbling: 1m\n    aggregates: [avg, delta]", 7, "aggregate 'delta' needs a cumulative counter")]
    [InlineData("kind: window\n    class: filler\n    signal: speed\n    sliding: { size: 5m, every: 2m }\n    aggregates: [avg]", 6, "a sliding window's 'size' must be a multiple of 'every'")]
    [InlineData("kind: threshold\n    class: cnc-mill\n    signal: spindle-vibration\n    above: 7\n    min-duration: 5 minutes", 7, "'min-duration' of rule 'r' must be a duration")]
    [InlineData("kind: threshold\n    class: cnc-mill\n    signal: spindle-vibration\n    above: 7\n    overrides:\n      - asset: plant-01/line-1/filler-01\n        above: 8", 8, "asset 'plant-01/line-1/filler-01' is a 'filler', which rule 'r' does not apply to")]
    [InlineData("kind: rate-of-change\n    class: cnc-mill\n    signal: spindle-temperature\n    above: 5\n    span: 2m", 2, "needs 'per'")]
    public void Mistakes_are_reported_on_their_line(string body, int line, string message)
    {
        var result = RulePlant.Load($"rules:\n  - id: r\n    {body}\n    event: com.acme.x.v1\n");
        var error = Assert.Single(result.Errors);
        Assert.Contains(message, error.Message);
        Assert.Equal(line, error.Line);
    }
}
