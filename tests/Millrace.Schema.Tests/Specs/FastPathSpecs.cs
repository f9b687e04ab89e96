namespace Millrace.Schema.Tests.Specs;

/// <summary>
/// IsValid runs fused keywords (required checked in the properties pass, string assertions read once, date-time on
/// UTF-8 bytes); its verdict must equal the full path's on every kind of instance, including the edge cases the
/// fusions short-cut (escaped names and strings, non-ASCII text, out-of-order members, wrong types).
/// </summary>
public sealed class FastPathSpecs
{
    private const string Schema = """
        {
          "type": "object",
          "required": ["orderId", "unit", "completedAt"],
          "properties": {
            "orderId": { "type": "string", "pattern": "^[0-9]{4}$", "maxLength": 4 },
            "lot": { "type": "string", "minLength": 2, "maxLength": 3, "pattern": "^L(x|y)+$" },
            "unit": { "enum": ["PCS", "KG"] },
            "completedAt": { "type": "string", "format": "date-time" },
            "day": { "format": "date", "minLength": 10 }
          },
          "additionalProperties": false
        }
        """;

    [Theory]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55.120+01:00"}""", true)]
    [InlineData("""{"completedAt":"2026-11-22T08:14:55Z","unit":"KG","orderId":"0020"}""", true)]
    [InlineData("""{"\u006frderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z"}""", true)]
    [InlineData("""{"orderId":"\u0030020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z"}""", true)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22\u005408:14:55Z"}""", true)]
    [InlineData("""{"orderId":"0020","unit":"PCS"}""", false)]
    [InlineData("""{"orderId":"0020","completedAt":"2026-11-22T08:14:55Z"}""", false)]
    [InlineData("""{"unit":"PCS","completedAt":"2026-11-22T08:14:55Z"}""", false)]
    [InlineData("""{"orderId":20,"unit":"PCS","completedAt":"2026-11-22T08:14:55Z"}""", false)]
    [InlineData("""{"orderId":"00200","unit":"PCS","completedAt":"2026-11-22T08:14:55Z"}""", false)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-02-30T08:14:55Z"}""", false)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55"}""", false)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"２026-11-22T08:14:55Z"}""", false)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z","lot":"Lxy"}""", true)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z","lot":"Lxyx"}""", false)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z","lot":"Lé"}""", false)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z","lot":"L\u0078"}""", true)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z","day":"2026-11-22"}""", true)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z","day":7}""", true)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z","day":"2026-1-22"}""", false)]
    [InlineData("""{"orderId":"0020","unit":"PCS","completedAt":"2026-11-22T08:14:55Z","extra":1}""", false)]
    [InlineData("""["orderId"]""", false)]
    public void Fast_path_verdict_equals_the_full_path_verdict(string instance, bool expected)
    {
        var validator = JsonSchema.Compile(Schema, new JsonSchemaOptions { AssertFormats = true });
        var element = Json.Parse(instance);
        var full = validator.Validate(element);
        Assert.Equal(expected, full.IsValid);
        Assert.Equal(expected, validator.IsValid(element));
    }

    [Fact]
    public void Full_path_still_reports_each_missing_required_property_under_required()
    {
        var validator = JsonSchema.Compile(Schema, new JsonSchemaOptions { AssertFormats = true });
        var result = validator.Validate(Json.Parse("""{"orderId":"0020"}"""));
        Assert.Equal(["/required", "/required"], result.Errors.Select(e => e.KeywordLocation));
        Assert.Contains(result.Errors, e => e.Message.Contains("'unit'"));
        Assert.Contains(result.Errors, e => e.Message.Contains("'completedAt'"));
    }
}
