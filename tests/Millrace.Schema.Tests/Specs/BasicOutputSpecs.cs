using System.Text.Json;

namespace Millrace.Schema.Tests.Specs;

/// <summary>The "basic" output format: flat errors with keyword, absolute keyword and instance locations.</summary>
public sealed class BasicOutputSpecs
{
    [Fact]
    public void Valid_instance_yields_valid_true_and_no_errors()
    {
        var validator = JsonSchema.Compile("""{"type":"object"}""");

        var result = validator.Validate(Json.Parse("{}"));

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Equal("""{"valid":true}""", result.ToJson());
    }

    [Fact]
    public void Each_failed_keyword_is_reported_with_its_keyword_and_instance_location()
    {
        var validator = JsonSchema.Compile("""
            {"properties":{"qty":{"type":"integer","minimum":0}},"required":["lot"]}
            """);

        var result = validator.Validate(Json.Parse("""{"qty":-1.5}"""));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e is { KeywordLocation: "/properties/qty/type", InstanceLocation: "/qty" });
        Assert.Contains(result.Errors, e => e is { KeywordLocation: "/properties/qty/minimum", InstanceLocation: "/qty" });
        var required = Assert.Single(result.Errors, e => e.KeywordLocation == "/required");
        Assert.Equal("", required.InstanceLocation);
        Assert.Contains("'lot'", required.Message);
        Assert.All(result.Errors, e => Assert.Null(e.AbsoluteKeywordLocation));
    }

    [Fact]
    public void Errors_behind_a_ref_carry_the_evaluation_path_and_the_absolute_location()
    {
        var validator = JsonSchema.Compile("""
            {"$id":"https://example.com/polygon","$defs":{"point":{"required":["x","y"]}},"items":{"$ref":"#/$defs/point"}}
            """);

        var result = validator.Validate(Json.Parse("""[{"x":1,"y":2},{"x":1}]"""));

        var error = Assert.Single(result.Errors, e => e.KeywordLocation == "/items/$ref/required");
        Assert.Equal("https://example.com/polygon#/$defs/point/required", error.AbsoluteKeywordLocation);
        Assert.Equal("/1", error.InstanceLocation);
        Assert.Contains(result.Errors, e => e.KeywordLocation == "/items/$ref" && e.InstanceLocation == "/1");
    }

    [Fact]
    public void Instance_locations_escape_slash_and_tilde_as_json_pointer()
    {
        var validator = JsonSchema.Compile("""{"additionalProperties":false}""");

        var result = validator.Validate(Json.Parse("""{"a/b~c":1}"""));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/a~1b~0c", error.InstanceLocation);
        Assert.Equal("/additionalProperties", error.KeywordLocation);
    }

    [Fact]
    public void Failed_branches_of_a_satisfied_anyOf_are_not_reported()
    {
        var validator = JsonSchema.Compile("""{"anyOf":[{"type":"string"},{"type":"integer"}],"maximum":3}""");

        var result = validator.Validate(Json.Parse("7"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/maximum", error.KeywordLocation);
    }

    [Fact]
    public void A_failed_anyOf_reports_itself_and_every_branch()
    {
        var validator = JsonSchema.Compile("""{"anyOf":[{"type":"string"},{"type":"integer"}]}""");

        var result = validator.Validate(Json.Parse("1.5"));

        Assert.Equal(["/anyOf", "/anyOf/0/type", "/anyOf/1/type"], result.Errors.Select(e => e.KeywordLocation));
    }

    [Fact]
    public void Serialised_output_has_the_basic_format_shape()
    {
        var validator = JsonSchema.Compile("""{"$id":"urn:example:root","properties":{"n":{"type":"string"}}}""");

        using var doc = JsonDocument.Parse(validator.Validate(Json.Parse("""{"n":1}""")).ToJson());

        var root = doc.RootElement;
        Assert.False(root.GetProperty("valid").GetBoolean());
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal("/properties/n/type", error.GetProperty("keywordLocation").GetString());
        Assert.Equal("urn:example:root#/properties/n/type", error.GetProperty("absoluteKeywordLocation").GetString());
        Assert.Equal("/n", error.GetProperty("instanceLocation").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetString()));
    }

    [Fact]
    public void Fast_and_full_paths_agree()
    {
        var validator = JsonSchema.Compile("""{"type":"array","items":{"enum":["kg","pcs"]},"uniqueItems":true}""");

        foreach (var json in (string[])["[]", """["kg"]""", """["kg","kg"]""", """["m"]""", "{}"])
            Assert.Equal(validator.IsValid(Json.Parse(json)), validator.Validate(Json.Parse(json)).IsValid);
    }
}
