namespace Millrace.Schema.Tests.Specs;

/// <summary>JSON value semantics the validator must get right: numbers, strings, equality, references.</summary>
public sealed class SemanticsSpecs
{
    [Theory]
    [InlineData("1.0", true)]
    [InlineData("1e2", true)]
    [InlineData("1.5e1", true)]
    [InlineData("-0.0", true)]
    [InlineData("12345678901234567890123456789012345678901234567890", true)]
    [InlineData("1.5", false)]
    [InlineData("1e-2", false)]
    public void Integer_means_integral_value_not_representation(string number, bool integer) =>
        Assert.Equal(integer, JsonSchema.Compile("""{"type":"integer"}""").IsValid(Json.Parse(number)));

    [Theory]
    [InlineData("19.99", true)]
    [InlineData("0.3", true)]
    [InlineData("19.995", false)]
    public void MultipleOf_uses_decimal_arithmetic(string number, bool valid) =>
        Assert.Equal(valid, JsonSchema.Compile("""{"multipleOf":0.01}""").IsValid(Json.Parse(number)));

    [Fact]
    public void Comparisons_are_exact_beyond_double_precision()
    {
        var validator = JsonSchema.Compile("""{"exclusiveMaximum":9007199254740993}""");

        Assert.False(validator.IsValid(Json.Parse("9007199254740993")));
        Assert.True(validator.IsValid(Json.Parse("9007199254740992")));
    }

    [Fact]
    public void String_length_counts_code_points_not_utf16_units()
    {
        var validator = JsonSchema.Compile("""{"maxLength":2,"minLength":2}""");

        Assert.True(validator.IsValid(Json.Parse("\"\U0001F3ED\U0001F3ED\"")));
        Assert.True(validator.IsValid(Json.Parse("\"\\u00e9t\"")));
        Assert.False(validator.IsValid(Json.Parse("\"abc\"")));
    }

    [Fact]
    public void Enum_and_const_compare_numbers_by_value_and_objects_regardless_of_order()
    {
        Assert.True(JsonSchema.Compile("""{"enum":[1,"kg"]}""").IsValid(Json.Parse("1.0")));
        Assert.True(JsonSchema.Compile("""{"const":{"a":1,"b":[2]}}""").IsValid(Json.Parse("""{"b":[2.0],"a":1}""")));
        Assert.False(JsonSchema.Compile("""{"const":[1,2]}""").IsValid(Json.Parse("[2,1]")));
    }

    [Fact]
    public void Escaped_strings_match_enum_members()
    {
        var validator = JsonSchema.Compile("""{"enum":["kg","pcs"]}""");

        Assert.True(validator.IsValid(Json.Parse("\"\\u006bg\"")));
        Assert.False(validator.IsValid(Json.Parse("\"KG\"")));
    }

    [Fact]
    public void Patterns_follow_ecmascript_meaning_of_dollar_and_character_classes()
    {
        Assert.False(JsonSchema.Compile("""{"pattern":"^abc$"}""").IsValid(Json.Parse("\"abc\\n\"")));
        Assert.True(JsonSchema.Compile("""{"pattern":"^\\p{Letter}+$"}""").IsValid(Json.Parse("\"Überstunde\"")));
        Assert.False(JsonSchema.Compile("""{"pattern":"^\\d+$"}""").IsValid(Json.Parse("\"\u0663\"")));
    }

    [Fact]
    public void External_documents_come_only_from_the_resolver()
    {
        var resolver = new DictionarySchemaResolver();
        resolver.Add("https://schemas.millrace.dev/units.json", """{"enum":["kg","pcs"]}""");
        var validator = JsonSchema.Compile("""{"$ref":"https://schemas.millrace.dev/units.json"}""",
            new JsonSchemaOptions { Resolver = resolver });

        Assert.True(validator.IsValid(Json.Parse("\"kg\"")));
        Assert.False(validator.IsValid(Json.Parse("\"m\"")));
    }

    [Fact]
    public void The_2020_12_metaschema_is_built_in_and_validates_schemas()
    {
        var meta = JsonSchema.Compile("""{"$ref":"https://json-schema.org/draft/2020-12/schema"}""");

        Assert.True(meta.IsValid(Json.Parse("""{"type":"object","properties":{"a":{"minimum":1}}}""")));
        Assert.False(meta.IsValid(Json.Parse("""{"type":"float"}""")));
        Assert.False(meta.IsValid(Json.Parse("""{"minLength":-1}""")));
    }

    [Fact]
    public void A_compiled_validator_is_safe_to_share_between_threads()
    {
        var validator = JsonSchema.Compile("""
            {"type":"object","properties":{"q":{"type":"integer"}},"unevaluatedProperties":false,
             "$defs":{"n":{"$dynamicAnchor":"x"}}}
            """);
        var good = Json.Parse("""{"q":1}""");
        var bad = Json.Parse("""{"q":1,"extra":true}""");
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            bool expected = i % 2 == 0;
            if (validator.IsValid(expected ? good : bad) != expected) Interlocked.Increment(ref failures);
            if (validator.Validate(expected ? good : bad).IsValid != expected) Interlocked.Increment(ref failures);
        });

        Assert.Equal(0, failures);
    }
}
