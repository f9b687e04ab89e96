using System.Text.Json;
using System.Text.RegularExpressions;
using Millrace.Schema.Formats;
using Millrace.Schema.Keywords;

namespace Millrace.Schema.Internal;

/// <summary>
/// Builds the keyword validators of one schema object, for the vocabularies its dialect enables. Cheap assertions
/// come first so the fast path fails early; applicators next; unevaluated* are sorted last by the compiler.
/// </summary>
internal static class KeywordFactory
{
    public static void Build(SchemaCompiler compiler, SchemaLocation location, List<Keyword> keywords)
    {
        var v = new SchemaValues(location);
        var dialect = location.Dialect;
        string at = location.AbsoluteUri;
        if (dialect.HasValidation) AddValidation(v, at, keywords);
        if (v.Has("format", out var format) && (dialect.AssertsFormat || compiler.Options.AssertFormats))
        {
            var name = v.String("format", format);
            var check = FormatCheckers.Find(name);
            if (check is not null) keywords.Add(new FormatKeyword(at + "/format", name, check, FormatCheckers.FindUtf8(name)));
        }
        AddReferences(compiler, location, v, at, keywords);
        if (dialect.HasApplicator) AddApplicators(compiler, location, v, at, keywords);
        if (dialect.HasUnevaluated)
        {
            if (v.Has("unevaluatedProperties", out _))
                keywords.Add(new UnevaluatedPropertiesKeyword(at + "/unevaluatedProperties",
                    compiler.Child(location, "/unevaluatedProperties")));
            if (v.Has("unevaluatedItems", out _))
                keywords.Add(new UnevaluatedItemsKeyword(at + "/unevaluatedItems", compiler.Child(location, "/unevaluatedItems")));
        }
    }

    private static void AddReferences(SchemaCompiler compiler, SchemaLocation location, SchemaValues v, string at,
        List<Keyword> keywords)
    {
        if (v.Has("$ref", out var reference))
        {
            var text = v.String("$ref", reference);
            var keyword = new RefKeyword(at + "/$ref", text);
            keywords.Add(keyword);
            keyword.Target = compiler.Reference(location, "$ref", text, out _);
        }
        if (v.Has("$dynamicRef", out var dynamicRef))
        {
            var text = v.String("$dynamicRef", dynamicRef);
            var initial = compiler.Reference(location, "$dynamicRef", text, out var absolute);
            var (resourceUri, fragment) = UriReference.SplitFragment(absolute);
            // Dynamic only when the statically resolved target really is a $dynamicAnchor of that name ("bookending").
            string? anchor = fragment is { Length: > 0 } && fragment[0] != '/'
                && compiler.Registry.IsDynamicAnchor(initial.Resource.BaseUri, fragment) ? fragment : null;
            _ = resourceUri;
            if (anchor is not null) compiler.UsesDynamicScope = true;
            keywords.Add(new DynamicRefKeyword(at + "/$dynamicRef", text, initial, anchor));
        }
    }

    private static void AddValidation(SchemaValues v, string at, List<Keyword> keywords)
    {
        if (v.Has("type", out var type)) keywords.Add(TypeFrom(v, at, type));
        if (v.Has("const", out var constant)) keywords.Add(new ConstKeyword(at + "/const", constant));
        if (v.Has("enum", out var values))
        {
            if (values.ValueKind != JsonValueKind.Array) throw v.Error("enum", "must be an array");
            keywords.Add(new EnumKeyword(at + "/enum", values.EnumerateArray().ToArray()));
        }
        foreach (var name in (string[])["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"])
            if (v.Has(name, out var limit)) keywords.Add(new NumberBoundKeyword(name, at + "/" + name, v.Number(name, limit)));
        if (v.Has("multipleOf", out var divisor))
        {
            var number = v.Number("multipleOf", divisor);
            if (number.Double <= 0) throw v.Error("multipleOf", "must be greater than 0");
            keywords.Add(new MultipleOfKeyword(at + "/multipleOf", number));
        }
        foreach (var name in (string[])["minLength", "maxLength"])
            if (v.Has(name, out var limit)) keywords.Add(new LengthKeyword(name, at + "/" + name, v.NonNegativeInteger(name, limit)));
        if (v.Has("pattern", out var pattern))
        {
            var text = v.String("pattern", pattern);
            keywords.Add(new PatternKeyword(at + "/pattern", text, Regex(v, "pattern", text)));
        }
        foreach (var name in (string[])["minItems", "maxItems"])
            if (v.Has(name, out var limit)) keywords.Add(new ItemCountKeyword(name, at + "/" + name, v.NonNegativeInteger(name, limit)));
        if (v.Has("uniqueItems", out var unique))
        {
            if (unique.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw v.Error("uniqueItems", "must be a boolean");
            if (unique.ValueKind == JsonValueKind.True) keywords.Add(new UniqueItemsKeyword(at + "/uniqueItems"));
        }
        foreach (var name in (string[])["minProperties", "maxProperties"])
            if (v.Has(name, out var limit)) keywords.Add(new PropertyCountKeyword(name, at + "/" + name, v.NonNegativeInteger(name, limit)));
        if (v.Has("required", out var required))
            keywords.Add(new RequiredKeyword("required", at + "/required", new Utf8NameTable(v.StringArray("required", required))));
        if (v.Has("dependentRequired", out var dependent))
        {
            v.ExpectObject("dependentRequired", dependent);
            var rules = dependent.EnumerateObject()
                .Select(p => (p.Name, new Utf8NameTable(v.StringArray("dependentRequired", p.Value)))).ToArray();
            keywords.Add(new DependentRequiredKeyword(at + "/dependentRequired", rules));
        }
    }

    private static TypeKeyword TypeFrom(SchemaValues v, string at, JsonElement type)
    {
        var names = type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => v.StringArray("type", type),
            _ => throw v.Error("type", "must be a type name or an array of type names"),
        };
        var allowed = JsonTypes.None;
        foreach (var name in names)
        {
            allowed |= name switch
            {
                "null" => JsonTypes.Null, "boolean" => JsonTypes.Boolean, "object" => JsonTypes.Object,
                "array" => JsonTypes.Array, "number" => JsonTypes.Number, "string" => JsonTypes.String,
                "integer" => JsonTypes.Integer,
                _ => throw v.Error("type", $"'{name}' is not a JSON Schema type"),
            };
        }
        var display = names.Length == 1 ? names[0] : "one of " + string.Join(", ", names);
        return new TypeKeyword(at + "/type", allowed, display);
    }

    private static void AddApplicators(SchemaCompiler compiler, SchemaLocation location, SchemaValues v, string at,
        List<Keyword> keywords)
    {
        AddObjectApplicators(compiler, location, v, at, keywords);
        var prefix = Array.Empty<SchemaNode>();
        if (v.Has("prefixItems", out var prefixItems))
            prefix = Enumerable.Range(0, v.NonEmptyArray("prefixItems", prefixItems))
                .Select(i => compiler.Child(location, "/prefixItems/" + i)).ToArray();
        SchemaNode? rest = v.Has("items", out _) ? compiler.Child(location, "/items") : null;
        if (prefix.Length > 0 || rest is not null)
            keywords.Add(new ItemsKeyword(at + (prefix.Length > 0 ? "/prefixItems" : "/items"), prefix, rest, at + "/items"));
        if (v.Has("contains", out _))
        {
            long min = 1;
            long? max = null;
            if (location.Dialect.HasValidation)
            {
                if (v.Has("minContains", out var minContains)) min = v.NonNegativeInteger("minContains", minContains);
                if (v.Has("maxContains", out var maxContains)) max = v.NonNegativeInteger("maxContains", maxContains);
            }
            keywords.Add(new ContainsKeyword(at + "/contains", compiler.Child(location, "/contains"), min, max));
        }
        foreach (var name in (string[])["allOf", "anyOf", "oneOf"])
        {
            if (!v.Has(name, out var list)) continue;
            var nodes = Enumerable.Range(0, v.NonEmptyArray(name, list))
                .Select(i => compiler.Child(location, "/" + name + "/" + i)).ToArray();
            keywords.Add(name switch
            {
                "allOf" => new AllOfKeyword(at + "/allOf", nodes),
                "anyOf" => new AnyOfKeyword(at + "/anyOf", nodes),
                _ => new OneOfKeyword(at + "/oneOf", nodes),
            });
        }
        if (v.Has("not", out _)) keywords.Add(new NotKeyword(at + "/not", compiler.Child(location, "/not")));
        if (v.Has("if", out _))
        {
            SchemaNode? then = v.Has("then", out _) ? compiler.Child(location, "/then") : null;
            SchemaNode? otherwise = v.Has("else", out _) ? compiler.Child(location, "/else") : null;
            var condition = compiler.Child(location, "/if");
            // Even without then/else, "if" contributes annotations that an enclosing unevaluated* may read.
            keywords.Add(new IfThenElseKeyword(at + "/if", condition, then, otherwise));
        }
    }

    private static void AddObjectApplicators(SchemaCompiler compiler, SchemaLocation location, SchemaValues v, string at,
        List<Keyword> keywords)
    {
        var names = new List<string>();
        var schemas = new List<SchemaNode>();
        if (v.Has("properties", out var properties))
        {
            v.ExpectObject("properties", properties);
            foreach (var p in properties.EnumerateObject())
            {
                names.Add(p.Name);
                schemas.Add(compiler.Child(location, "/properties/" + JsonPointer.Escape(p.Name)));
            }
        }
        var patterns = new List<(string, Regex, SchemaNode)>();
        if (v.Has("patternProperties", out var patternProperties))
        {
            v.ExpectObject("patternProperties", patternProperties);
            foreach (var p in patternProperties.EnumerateObject())
                patterns.Add((p.Name, Regex(v, "patternProperties", p.Name),
                    compiler.Child(location, "/patternProperties/" + JsonPointer.Escape(p.Name))));
        }
        SchemaNode? additional = v.Has("additionalProperties", out _) ? compiler.Child(location, "/additionalProperties") : null;
        if (names.Count > 0 || patterns.Count > 0 || additional is not null)
            keywords.Add(new PropertiesKeyword(at, new Utf8NameTable(names), schemas.ToArray(), patterns.ToArray(), additional));
        if (v.Has("dependentSchemas", out var dependentSchemas))
        {
            v.ExpectObject("dependentSchemas", dependentSchemas);
            var rules = dependentSchemas.EnumerateObject().Select(p =>
            {
                var segment = "dependentSchemas/" + JsonPointer.Escape(p.Name);
                return (p.Name, segment, compiler.Child(location, "/" + segment));
            }).ToArray();
            keywords.Add(new DependentSchemasKeyword(at + "/dependentSchemas", rules));
        }
        if (v.Has("propertyNames", out _))
            keywords.Add(new PropertyNamesKeyword(at + "/propertyNames", compiler.Child(location, "/propertyNames")));
    }

    private static Regex Regex(SchemaValues v, string keyword, string pattern)
    {
        try { return EcmaRegex.Get(pattern); }
        catch (ArgumentException e) { throw v.Error(keyword, $"'{pattern}' is not a valid regular expression: {e.Message}"); }
    }
}
