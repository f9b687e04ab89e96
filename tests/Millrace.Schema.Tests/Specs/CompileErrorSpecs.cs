namespace Millrace.Schema.Tests.Specs;

/// <summary>Bad schemas are rejected at compile time with the keyword, the location and the reason.</summary>
public sealed class CompileErrorSpecs
{
    [Theory]
    [InlineData("""{"type":"float"}""", "type", "'float' is not a JSON Schema type")]
    [InlineData("""{"minLength":-1}""", "minLength", "negative")]
    [InlineData("""{"maxItems":1.5}""", "maxItems", "non-negative integer")]
    [InlineData("""{"pattern":"(unclosed"}""", "pattern", "not a valid regular expression")]
    [InlineData("""{"patternProperties":{"[":{}}}""", "patternProperties", "not a valid regular expression")]
    [InlineData("""{"required":"lot"}""", "required", "array of strings")]
    [InlineData("""{"required":["a","a"]}""", "required", "twice")]
    [InlineData("""{"multipleOf":0}""", "multipleOf", "greater than 0")]
    [InlineData("""{"allOf":[]}""", "allOf", "non-empty array")]
    [InlineData("""{"enum":3}""", "enum", "must be an array")]
    [InlineData("""{"$ref":"#/$defs/missing"}""", "$ref", "cannot resolve")]
    [InlineData("""{"$ref":"https://example.com/not-registered.json"}""", "$ref", "cannot resolve")]
    [InlineData("""{"$defs":{"a":{"$id":"https://example.com/a#frag"}}}""", "$id", "non-empty fragment")]
    public void Malformed_keyword_is_named_with_its_reason(string schema, string keyword, string reason)
    {
        var error = Assert.Throws<JsonSchemaException>(() => JsonSchema.Compile(schema));

        Assert.Equal(keyword, error.Keyword);
        Assert.Contains(reason, error.Reason);
        Assert.Contains(keyword, error.Message);
        Assert.False(string.IsNullOrEmpty(error.SchemaLocation));
    }

    [Fact]
    public void Subschema_location_is_part_of_the_error()
    {
        var error = Assert.Throws<JsonSchemaException>(() =>
            JsonSchema.Compile("""{"properties":{"qty":{"minimum":"zero"}}}"""));

        Assert.Equal("minimum", error.Keyword);
        Assert.EndsWith("#/properties/qty", error.SchemaLocation);
    }

    [Fact]
    public void Schema_that_is_not_json_is_rejected_clearly()
    {
        var error = Assert.Throws<JsonSchemaException>(() => JsonSchema.Compile("{\"type\":"));

        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void Schema_that_is_neither_object_nor_boolean_is_rejected()
    {
        var error = Assert.Throws<JsonSchemaException>(() => JsonSchema.Compile("""{"not":42}"""));

        Assert.Contains("object or a boolean", error.Reason);
    }

    [Fact]
    public void Metaschema_requiring_an_unknown_vocabulary_is_rejected()
    {
        var resolver = new DictionarySchemaResolver();
        resolver.Add("https://example.com/meta", """
            {"$id":"https://example.com/meta","$vocabulary":{"https://json-schema.org/draft/2020-12/vocab/core":true,
             "https://example.com/vocab/unheard-of":true}}
            """);

        var error = Assert.Throws<JsonSchemaException>(() =>
            JsonSchema.Compile("""{"$schema":"https://example.com/meta"}""", new JsonSchemaOptions { Resolver = resolver }));

        Assert.Equal("$schema", error.Keyword);
        Assert.Contains("unheard-of", error.Reason);
    }

    [Fact]
    public void Reference_cycle_that_never_consumes_the_instance_fails_with_an_exception_not_a_crash()
    {
        var validator = JsonSchema.Compile("""{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}""");

        var error = Assert.Throws<JsonSchemaException>(() => validator.IsValid(Json.Parse("1")));

        Assert.Contains("$ref cycle", error.Reason);
    }
}
