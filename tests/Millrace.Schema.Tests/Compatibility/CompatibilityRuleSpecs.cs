using Millrace.Schema.Compatibility;
using static Millrace.Schema.Tests.Compatibility.Compat;

namespace Millrace.Schema.Tests.Compatibility;

/// <summary>The rule table of docs/governance.md, row by row, as reader/writer pairs (Check(reader, writer)).</summary>
public class CompatibilityRuleSpecs
{
    [Fact]
    public void Identical_schemas_are_compatible_both_ways()
    {
        const string s = """{"type":"object","properties":{"a":{"type":"string","pattern":"^x"},"b":{"$ref":"#/$defs/q"}},"$defs":{"q":{"type":"number","minimum":0}}}""";
        Compatible(s, s);
    }

    [Fact]
    public void Integer_writer_is_read_by_a_number_reader_but_not_the_reverse()
    {
        Compatible("""{"type":"number"}""", """{"type":"integer"}""");
        var issue = Incompatible("""{"type":"integer"}""", """{"type":"number"}""", IncompatibilityKind.TypeNarrowed, "/type");
        Assert.Contains("non-integer number", issue.Reason);
    }

    [Fact]
    public void A_type_added_to_the_reader_is_compatible_and_a_type_removed_is_not()
    {
        Compatible("""{"type":["string","null"]}""", """{"type":"string"}""");
        Incompatible("""{"type":"string"}""", """{"type":["string","null"]}""", IncompatibilityKind.TypeNarrowed, "/type");
    }

    [Fact]
    public void A_writer_without_type_may_write_any_type()
        => Incompatible("""{"type":"object"}""", "{}", IncompatibilityKind.TypeNarrowed, "/type");

    [Fact]
    public void Required_added_to_the_reader_is_incompatible_and_required_dropped_is_not()
    {
        const string loose = """{"type":"object","properties":{"a":{"type":"string"}}}""";
        const string strict = """{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}""";
        Incompatible(strict, loose, IncompatibilityKind.RequiredAdded, "/required");
        Compatible(loose, strict);
    }

    [Fact]
    public void A_closed_reader_refuses_a_property_the_writer_declares()
    {
        const string closed = """{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}""";
        const string more = """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"additionalProperties":false}""";
        var issue = Incompatible(closed, more, IncompatibilityKind.PropertyNotAllowed, "/additionalProperties");
        Assert.Equal("/properties/b", issue.WriterPointer);
        Compatible(more, closed); // the reader may declare more than the closed writer writes
    }

    [Fact]
    public void An_open_reader_ignores_properties_it_does_not_declare()
        => Compatible("""{"type":"object","properties":{"a":{"type":"string"}}}""",
                      """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}}""");

    [Fact]
    public void A_writer_allowing_extra_properties_breaks_a_closed_reader()
        => Incompatible("""{"type":"object","additionalProperties":false}""", """{"type":"object","additionalProperties":{"type":"string"}}""",
            IncompatibilityKind.PropertyNotAllowed, "/additionalProperties");

    [Fact]
    public void Strict_open_content_model_makes_a_constrained_new_reader_property_incompatible()
    {
        const string reader = """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}}}""";
        const string writer = """{"type":"object","properties":{"a":{"type":"string"}}}""";
        Compatible(reader, writer);
        Incompatible(reader, writer, IncompatibilityKind.TypeNarrowed, "/properties/b/type", new CompatibilityOptions { StrictOpenContentModel = true });
        Compatible(reader, """{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}""",
            new CompatibilityOptions { StrictOpenContentModel = true });
    }

    [Fact]
    public void Enum_values_are_checked_one_by_one_against_the_reader()
    {
        Compatible("""{"enum":["A","B","C"]}""", """{"enum":["A","B"]}""");
        var issue = Incompatible("""{"enum":["A","B"]}""", """{"enum":["A","B","C"]}""", IncompatibilityKind.EnumValueNotAccepted, "/enum");
        Assert.Equal("/enum/2", issue.WriterPointer);
        Compatible("""{"type":"string","maxLength":1}""", """{"enum":["A","B"]}""");
    }

    [Fact]
    public void A_reader_enum_over_an_unrestricted_writer_is_incompatible()
        => Incompatible("""{"type":"string","enum":["A"]}""", """{"type":"string"}""", IncompatibilityKind.EnumAdded, "/enum");

    [Fact]
    public void Const_changed_is_incompatible_and_const_kept_is_not()
    {
        Compatible("""{"const":"v1"}""", """{"const":"v1"}""");
        Compatible("""{"enum":["v1","v2"]}""", """{"const":"v2"}""");
        Incompatible("""{"const":"v2"}""", """{"const":"v1"}""", IncompatibilityKind.EnumValueNotAccepted, "/const");
    }

    [Theory]
    [InlineData("""{"type":"number","minimum":0}""", """{"type":"number","minimum":5}""", true)]
    [InlineData("""{"type":"number","minimum":5}""", """{"type":"number","minimum":0}""", false)]
    [InlineData("""{"type":"number","minimum":0}""", """{"type":"number"}""", false)]
    [InlineData("""{"type":"number","maximum":100}""", """{"type":"number","maximum":10}""", true)]
    [InlineData("""{"type":"number","maximum":10}""", """{"type":"number","maximum":100}""", false)]
    [InlineData("""{"type":"number","exclusiveMaximum":10}""", """{"type":"number","maximum":10}""", false)]
    [InlineData("""{"type":"number","maximum":10}""", """{"type":"number","exclusiveMaximum":10}""", true)]
    [InlineData("""{"type":"number","exclusiveMinimum":0}""", """{"type":"number","minimum":1}""", true)]
    [InlineData("""{"type":"number","multipleOf":0.5}""", """{"type":"number","multipleOf":1.5}""", true)]
    [InlineData("""{"type":"number","multipleOf":2}""", """{"type":"number","multipleOf":3}""", false)]
    [InlineData("""{"type":"number","multipleOf":1}""", """{"type":"integer"}""", true)]
    public void Numeric_bounds_may_loosen_but_not_tighten(string reader, string writer, bool compatible)
        => AssertVerdict(reader, writer, compatible, IncompatibilityKind.RangeNarrowed);

    [Theory]
    [InlineData("""{"type":"string","maxLength":40}""", """{"type":"string","maxLength":20}""", true)]
    [InlineData("""{"type":"string","maxLength":20}""", """{"type":"string","maxLength":40}""", false)]
    [InlineData("""{"type":"string","maxLength":20}""", """{"type":"string"}""", false)]
    [InlineData("""{"type":"string","minLength":1}""", """{"type":"string","minLength":2}""", true)]
    [InlineData("""{"type":"string","minLength":2}""", """{"type":"string","minLength":1}""", false)]
    public void String_lengths_may_loosen_but_not_tighten(string reader, string writer, bool compatible)
        => AssertVerdict(reader, writer, compatible, IncompatibilityKind.LengthNarrowed);

    [Fact]
    public void Pattern_added_or_changed_on_the_reader_is_incompatible_and_dropped_is_not()
    {
        Compatible("""{"type":"string"}""", """{"type":"string","pattern":"^[0-9]{10}$"}""");
        Incompatible("""{"type":"string","pattern":"^[0-9]{10}$"}""", """{"type":"string","pattern":"^[0-9]+$"}""", IncompatibilityKind.PatternChanged, "/pattern");
        Incompatible("""{"type":"string","pattern":"^x"}""", """{"type":"string"}""", IncompatibilityKind.PatternChanged, "/pattern");
    }

    [Fact]
    public void Format_added_on_the_reader_is_incompatible_and_a_narrower_writer_format_is_not()
    {
        Incompatible("""{"type":"string","format":"date-time"}""", """{"type":"string"}""", IncompatibilityKind.FormatChanged, "/format");
        Compatible("""{"type":"string","format":"uri-reference"}""", """{"type":"string","format":"uri"}""");
        Compatible("""{"type":"string"}""", """{"type":"string","format":"date"}""");
    }

    [Fact]
    public void Items_are_compared_position_by_position_and_for_the_tail()
    {
        Compatible("""{"type":"array","items":{"type":"number"}}""", """{"type":"array","items":{"type":"integer"}}""");
        Incompatible("""{"type":"array","items":{"type":"integer"}}""", """{"type":"array","items":{"type":"number"}}""", IncompatibilityKind.TypeNarrowed, "/items/type");
        Incompatible("""{"type":"array","prefixItems":[{"type":"string"}],"items":false}""",
                     """{"type":"array","prefixItems":[{"type":"string"},{"type":"string"}],"items":false}""", IncompatibilityKind.ItemsNarrowed, "/items");
        Incompatible("""{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}]}""",
                     """{"type":"array","prefixItems":[{"type":"string"},{"type":"number"}]}""", IncompatibilityKind.TypeNarrowed, "/prefixItems/1/type");
        Incompatible("""{"type":"array","maxItems":3}""", """{"type":"array","maxItems":5}""", IncompatibilityKind.ItemsNarrowed, "/maxItems");
        Incompatible("""{"type":"array","uniqueItems":true}""", """{"type":"array"}""", IncompatibilityKind.ItemsNarrowed, "/uniqueItems");
    }

    [Fact]
    public void Nested_objects_report_the_full_pointer()
        => Incompatible("""{"type":"object","properties":{"qty":{"type":"object","properties":{"unit":{"enum":["PCS"]}}}}}""",
                        """{"type":"object","properties":{"qty":{"type":"object","properties":{"unit":{"enum":["PCS","KG"]}}}}}""",
                        IncompatibilityKind.EnumValueNotAccepted, "/properties/qty/properties/unit/enum");

    [Fact]
    public void Local_refs_are_resolved_and_reported_at_their_target()
    {
        const string reader = """{"type":"object","properties":{"qty":{"$ref":"#/$defs/quantity"}},"$defs":{"quantity":{"type":"integer"}}}""";
        const string writer = """{"type":"object","properties":{"qty":{"type":"number"}}}""";
        var issue = Incompatible(reader, writer, IncompatibilityKind.TypeNarrowed, "/$defs/quantity/type");
        Assert.Equal("/properties/qty/type", issue.WriterPointer);
        Compatible(writer, reader);
    }

    [Fact]
    public void A_recursive_schema_terminates()
    {
        const string tree = """{"$defs":{"node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/$defs/node"}}}}},"$ref":"#/$defs/node"}""";
        const string tighter = """{"$defs":{"node":{"type":"object","properties":{"children":{"type":"array","maxItems":2,"items":{"$ref":"#/$defs/node"}}}}},"$ref":"#/$defs/node"}""";
        Compatible(tree, tighter);
        Incompatible(tighter, tree, IncompatibilityKind.ItemsNarrowed, "/$defs/node/properties/children/maxItems");
    }

    [Fact]
    public void AnyOf_branch_added_to_the_reader_is_compatible_and_removed_is_not()
    {
        const string two = """{"anyOf":[{"type":"string"},{"type":"integer"}]}""";
        const string three = """{"anyOf":[{"type":"string"},{"type":"integer"},{"type":"null"}]}""";
        Compatible(three, two);
        Incompatible(two, three, IncompatibilityKind.BranchNotCovered, "/anyOf");
    }

    [Fact]
    public void OneOf_branch_added_to_the_reader_must_be_provably_exclusive()
    {
        const string two = """{"oneOf":[{"type":"string"},{"type":"integer"}]}""";
        Compatible("""{"oneOf":[{"type":"string"},{"type":"integer"},{"type":"null"}]}""", two);
        Incompatible("""{"oneOf":[{"type":"string"},{"type":"integer"},{"type":"string","maxLength":3}]}""", two, IncompatibilityKind.OneOfOverlap, "/oneOf/2");
    }

    [Fact]
    public void Not_and_if_on_the_reader_are_undecidable_unless_unchanged()
    {
        Incompatible("""{"type":"string","not":{"const":"x"}}""", """{"type":"string"}""", IncompatibilityKind.Undecidable, "/not");
        Compatible("""{"type":"string","not":{"const":"x"}}""", """{"type":"string","not":{"const":"x"},"maxLength":3}""");
        Incompatible("""{"if":{"type":"string"},"then":{"minLength":1}}""", "{}", IncompatibilityKind.Undecidable, "/if");
    }

    [Fact]
    public void Every_incompatibility_is_listed_not_only_the_first()
    {
        const string reader = """{"type":"object","properties":{"a":{"type":"integer"},"b":{"enum":["x"]},"c":{"type":"string","maxLength":2}},"required":["a","z"]}""";
        const string writer = """{"type":"object","properties":{"a":{"type":"number"},"b":{"enum":["x","y"]},"c":{"type":"string"}},"required":["a"]}""";
        var issues = Check(reader, writer);
        Assert.Equal(["/properties/a/type", "/properties/b/enum", "/properties/c/maxLength", "/required"], issues.Select(i => i.ReaderPointer).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reader_false_accepts_nothing_and_writer_false_writes_nothing()
    {
        Incompatible("false", "{}", IncompatibilityKind.ReaderRejectsAll, "");
        Compatible("false", "false");
        Compatible("""{"type":"string"}""", "false");
    }

    [Fact]
    public void Non_schema_input_is_refused_with_an_argument_error()
        => Assert.Throws<ArgumentException>(() => SchemaCompatibility.Check(J("42"), J("{}")));

    private static void AssertVerdict(string reader, string writer, bool compatible, IncompatibilityKind kind)
    {
        if (compatible) Compatible(reader, writer);
        else Assert.Contains(Check(reader, writer), i => i.Kind == kind);
    }
}
