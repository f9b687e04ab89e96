using Millrace.Schema.Compatibility;
using static Millrace.Schema.Tests.Compatibility.Compat;

namespace Millrace.Schema.Tests.Compatibility;

/// <summary>
/// One spec per mode, with pairs (or histories) of schemas that must pass and must fail, in Confluent's meaning:
/// BACKWARD = consumers on the new schema read data written with the old one; FORWARD = consumers on the old schema
/// read data written with the new one; FULL = both; *_TRANSITIVE = against every earlier version, not only the latest.
/// </summary>
public class CompatibilityModeSpecs
{
    private const string Order = """{"type":"object","properties":{"order":{"type":"string"}},"required":["order"]}""";
    private const string OrderWithOptionalLot = """{"type":"object","properties":{"order":{"type":"string"},"lot":{"type":"string"}},"required":["order"]}""";
    private const string OrderWithRequiredLot = """{"type":"object","properties":{"order":{"type":"string"},"lot":{"type":"string"}},"required":["order","lot"]}""";
    private const string UnitsPcsKg = """{"type":"object","properties":{"unit":{"enum":["PCS","KG"]}}}""";
    private const string UnitsPcsKgM = """{"type":"object","properties":{"unit":{"enum":["PCS","KG","M"]}}}""";
    private const string QtyNumber = """{"type":"object","properties":{"qty":{"type":"number"}}}""";
    private const string QtyInteger = """{"type":"object","properties":{"qty":{"type":"integer"}}}""";
    // A history where the field 'x' is dropped and comes back with another type: compatible step by step,
    // incompatible with the first version.
    private const string V1XString = """{"type":"object","properties":{"id":{"type":"string"},"x":{"type":"string"}}}""";
    private const string V2NoX = """{"type":"object","properties":{"id":{"type":"string"}}}""";
    private const string V3XInteger = """{"type":"object","properties":{"id":{"type":"string"},"x":{"type":"integer"}}}""";

    [Fact]
    public void None_accepts_any_change()
    {
        Assert.Empty(Against(CompatibilityMode.None, """{"type":"string"}""", Order));
        Assert.Empty(Against(CompatibilityMode.None, OrderWithRequiredLot, Order));
    }

    [Fact]
    public void Backward_passes_an_added_optional_property_an_added_enum_value_and_a_widened_type()
    {
        Assert.Empty(Against(CompatibilityMode.Backward, OrderWithOptionalLot, Order));
        Assert.Empty(Against(CompatibilityMode.Backward, UnitsPcsKgM, UnitsPcsKg));
        Assert.Empty(Against(CompatibilityMode.Backward, QtyNumber, QtyInteger));
    }

    [Fact]
    public void Backward_fails_an_added_required_property_a_removed_enum_value_and_a_narrowed_type()
    {
        var required = Assert.Single(Against(CompatibilityMode.Backward, OrderWithRequiredLot, Order));
        Assert.Equal((CompatibilityDirection.Backward, "/required"), (required.Direction, required.Pointer));
        var removed = Assert.Single(Against(CompatibilityMode.Backward, UnitsPcsKg, UnitsPcsKgM));
        Assert.Equal("/properties/unit/enum", removed.Pointer);
        Assert.Contains("\"M\"", removed.Reason);
        var narrowed = Assert.Single(Against(CompatibilityMode.Backward, QtyInteger, QtyNumber));
        Assert.Equal("/properties/qty/type", narrowed.Pointer);
    }

    [Fact]
    public void Backward_checks_only_the_latest_version()
        => Assert.Empty(Against(CompatibilityMode.Backward, V3XInteger, V1XString, V2NoX));

    [Fact]
    public void Backward_transitive_fails_against_an_older_version_the_latest_would_pass()
    {
        Assert.Empty(Against(CompatibilityMode.BackwardTransitive, V2NoX, V1XString));
        var v = Assert.Single(Against(CompatibilityMode.BackwardTransitive, V3XInteger, V1XString, V2NoX));
        Assert.Equal((0, CompatibilityDirection.Backward, "/properties/x/type"), (v.AgainstIndex, v.Direction, v.Pointer));
    }

    [Fact]
    public void Forward_passes_a_removed_optional_property_a_removed_enum_value_and_a_narrowed_type()
    {
        Assert.Empty(Against(CompatibilityMode.Forward, Order, OrderWithOptionalLot));
        Assert.Empty(Against(CompatibilityMode.Forward, UnitsPcsKg, UnitsPcsKgM));
        Assert.Empty(Against(CompatibilityMode.Forward, QtyInteger, QtyNumber));
    }

    [Fact]
    public void Forward_fails_a_removed_required_property_an_added_enum_value_and_a_widened_type()
    {
        var required = Assert.Single(Against(CompatibilityMode.Forward, Order, OrderWithRequiredLot));
        Assert.Equal(CompatibilityDirection.Forward, required.Direction);
        Assert.Equal(IncompatibilityKind.RequiredAdded, required.Detail.Kind);
        var added = Assert.Single(Against(CompatibilityMode.Forward, UnitsPcsKgM, UnitsPcsKg));
        Assert.Equal("/properties/unit/enum/2", added.Pointer); // the value in the new schema
        var widened = Assert.Single(Against(CompatibilityMode.Forward, QtyNumber, QtyInteger));
        Assert.Equal("/properties/qty/type", widened.Pointer);
    }

    [Fact]
    public void Forward_transitive_fails_against_an_older_version_the_latest_would_pass()
    {
        Assert.Empty(Against(CompatibilityMode.Forward, V3XInteger, V1XString, V2NoX));
        var v = Assert.Single(Against(CompatibilityMode.ForwardTransitive, V3XInteger, V1XString, V2NoX));
        Assert.Equal((0, CompatibilityDirection.Forward), (v.AgainstIndex, v.Direction));
    }

    [Fact]
    public void Full_passes_an_added_optional_property_and_a_documentation_change()
    {
        Assert.Empty(Against(CompatibilityMode.Full, OrderWithOptionalLot, Order));
        Assert.Empty(Against(CompatibilityMode.Full,
            """{"type":"object","description":"now documented","properties":{"order":{"type":"string","title":"Order"}},"required":["order"]}""", Order));
    }

    [Fact]
    public void Full_fails_changes_that_break_either_direction()
    {
        var added = Assert.Single(Against(CompatibilityMode.Full, UnitsPcsKgM, UnitsPcsKg)); // backward-only change
        Assert.Equal(CompatibilityDirection.Forward, added.Direction);
        var removed = Assert.Single(Against(CompatibilityMode.Full, UnitsPcsKg, UnitsPcsKgM)); // forward-only change
        Assert.Equal(CompatibilityDirection.Backward, removed.Direction);
        var retyped = Against(CompatibilityMode.Full, """{"type":"object","properties":{"qty":{"type":"string"}}}""", QtyNumber);
        Assert.Equal([CompatibilityDirection.Backward, CompatibilityDirection.Forward], retyped.Select(v => v.Direction).Order());
    }

    [Fact]
    public void Full_transitive_fails_against_an_older_version_the_latest_would_pass()
    {
        Assert.Empty(Against(CompatibilityMode.Full, V3XInteger, V1XString, V2NoX));
        var violations = Against(CompatibilityMode.FullTransitive, V3XInteger, V1XString, V2NoX);
        Assert.Equal(2, violations.Count);
        Assert.All(violations, v => Assert.Equal(0, v.AgainstIndex));
    }

    [Fact]
    public void Mode_names_parse_in_registry_spelling()
    {
        Assert.True(CompatibilityModes.TryParse("full_transitive", out var m));
        Assert.Equal(CompatibilityMode.FullTransitive, m);
        Assert.True(CompatibilityModes.TryParse("BACKWARD", out m));
        Assert.Equal("BACKWARD", m.ToName());
        Assert.False(CompatibilityModes.TryParse("SIDEWAYS", out _));
    }
}
