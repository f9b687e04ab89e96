namespace Millrace.Schema.Tests.Specs;

/// <summary>Formats are annotations by default and assertions when the schema or the options opt in.</summary>
public sealed class FormatSpecs
{
    private static readonly JsonSchemaOptions Asserting = new() { AssertFormats = true };

    private static bool Check(string format, string value) =>
        JsonSchema.Compile($$"""{"format":"{{format}}"}""", Asserting)
            .IsValid(Json.Parse(System.Text.Json.JsonSerializer.Serialize(value)));

    [Theory]
    [InlineData("date-time", "2026-11-22T08:15:30Z")]
    [InlineData("date-time", "2026-11-22t08:15:30.123+01:00")]
    [InlineData("date-time", "2016-12-31T23:59:60Z")]
    [InlineData("date", "2024-02-29")]
    [InlineData("time", "23:59:60Z")]
    [InlineData("time", "00:29:60+00:30")]
    [InlineData("duration", "P1Y2M3DT4H5M6S")]
    [InlineData("duration", "P2W")]
    [InlineData("uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d16380")]
    [InlineData("uri", "urn:millrace:plant:7")]
    [InlineData("uri", "https://[2001:db8::7]:8443/a?b#c")]
    [InlineData("uri-reference", "../lots/42#top")]
    [InlineData("email", "shift.lead@plant-7.example.com")]
    [InlineData("email", "\"quoted local\"@[192.168.0.1]")]
    [InlineData("ipv4", "192.168.0.1")]
    [InlineData("ipv6", "::ffff:192.168.0.1")]
    [InlineData("hostname", "press-04.plant7.example")]
    [InlineData("hostname", "xn--9n2bp8q.xn--9t4b11yi5a")]
    public void Well_formed_values_pass(string format, string value) => Assert.True(Check(format, value));

    [Theory]
    [InlineData("date-time", "2026-11-22 08:15:30Z")]
    [InlineData("date-time", "2026-11-22T08:15:30")]
    [InlineData("date-time", "2026-11-22T23:58:60Z")]
    [InlineData("date", "2023-02-29")]
    [InlineData("date", "2026-13-01")]
    [InlineData("time", "24:00:00Z")]
    [InlineData("duration", "P1Y2D")]
    [InlineData("duration", "PT")]
    [InlineData("duration", "P1W2D")]
    [InlineData("uuid", "2eb8aa08aa9811eab4aa73b441d16380")]
    [InlineData("uri", "/relative/path")]
    [InlineData("uri", "https://example.com/a b")]
    [InlineData("uri-reference", "\\\\server\\share")]
    [InlineData("email", "two..dots@example.com")]
    [InlineData("email", "no-at-sign")]
    [InlineData("ipv4", "256.1.1.1")]
    [InlineData("ipv4", "01.2.3.4")]
    [InlineData("ipv6", "1::2::3")]
    [InlineData("ipv6", "fe80::1%eth0")]
    [InlineData("hostname", "-press.example")]
    [InlineData("hostname", "under_score.example")]
    [InlineData("hostname", "xn--X")]
    public void Malformed_values_fail(string format, string value) => Assert.False(Check(format, value));

    [Fact]
    public void Formats_are_annotations_unless_asserted()
    {
        var validator = JsonSchema.Compile("""{"format":"date-time"}""");

        Assert.True(validator.IsValid(Json.Parse("\"not a timestamp\"")));
    }

    [Fact]
    public void A_metaschema_with_the_format_assertion_vocabulary_turns_formats_into_assertions()
    {
        var resolver = new DictionarySchemaResolver();
        resolver.Add("https://example.com/strict-meta", """
            {"$id":"https://example.com/strict-meta","$vocabulary":{
              "https://json-schema.org/draft/2020-12/vocab/core":true,
              "https://json-schema.org/draft/2020-12/vocab/validation":true,
              "https://json-schema.org/draft/2020-12/vocab/format-assertion":true}}
            """);
        var validator = JsonSchema.Compile("""{"$schema":"https://example.com/strict-meta","format":"ipv4"}""",
            new JsonSchemaOptions { Resolver = resolver });

        Assert.True(validator.IsValid(Json.Parse("\"10.0.0.1\"")));
        Assert.False(validator.IsValid(Json.Parse("\"10.0.0\"")));
    }

    [Fact]
    public void Unknown_formats_stay_annotations_even_when_asserting()
    {
        var validator = JsonSchema.Compile("""{"format":"x-plant-code"}""", Asserting);

        Assert.True(validator.IsValid(Json.Parse("\"anything\"")));
    }

    [Fact]
    public void Formats_ignore_non_strings()
    {
        var validator = JsonSchema.Compile("""{"format":"email"}""", Asserting);

        Assert.True(validator.IsValid(Json.Parse("12")));
    }
}
