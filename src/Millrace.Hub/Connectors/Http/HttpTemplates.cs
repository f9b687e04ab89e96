using System.Globalization;
using System.Text;
using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Core.Expressions;

namespace Millrace.Hub.Connectors.Http;

/// <summary>
/// A path template: literal text with expression holes over <c>input</c>,
/// <c>/production-orders/{input.order}/confirmations</c>; each hole's value is URL-escaped. A hole without a value
/// makes the call fail permanently (the input lacks what the path needs).
/// </summary>
internal sealed class PathTemplate
{
    private readonly List<(string? Literal, string? Expression, Func<JsonElement, object?>? Value)> _parts = [];

    private PathTemplate() { }

    public string Text { get; private init; } = "";

    /// <summary>Compiles the template; errors are reported at their column within <paramref name="node"/>.</summary>
    public static PathTemplate? Compile(ConfigScalar node, ExpressionScope<JsonElement> scope, ConfigContext context, string what)
    {
        var t = new PathTemplate { Text = node.Value };
        string s = node.Value;
        int i = 0;
        bool ok = true;
        while (i < s.Length)
        {
            int open = s.IndexOf('{', i);
            if (open < 0) { t._parts.Add((s[i..], null, null)); break; }
            if (open > i) t._parts.Add((s[i..open], null, null));
            int close = s.IndexOf('}', open + 1);
            if (close < 0) { context.Error(node.LocationOf(open), $"{what}: '{{' without a closing '}}'"); return null; }
            var expression = s[(open + 1)..close];
            try
            {
                t._parts.Add((null, expression, ExpressionCompiler.CompileValue(expression, scope)));
            }
            catch (ExpressionException e)
            {
                context.Error(node.LocationOf(open + e.Column), $"{what}: {e.Reason}");
                ok = false;
            }
            i = close + 1;
        }
        return ok ? t : null;
    }

    /// <summary>The path for one input, or the first hole without a value.</summary>
    public string? Render(JsonElement input, out string? missing)
    {
        missing = null;
        var sb = new StringBuilder();
        foreach (var (literal, expression, value) in _parts)
        {
            if (literal is not null) { sb.Append(literal); continue; }
            var text = Format(value!(input));
            if (string.IsNullOrEmpty(text)) { missing = expression; return null; }
            sb.Append(Uri.EscapeDataString(text));
        }
        return sb.ToString();
    }

    internal static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement e => e.GetRawText(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// A JSON body template written in YAML: mappings and lists are copied; a string that is one whole hole
/// (<c>"{input.good}"</c>) becomes the hole's typed value (number, boolean, object, …; a missing value is left out of
/// its object); a string with text around holes is a text template; other scalars are literals.
/// </summary>
internal abstract class JsonTemplate
{
    public abstract void Write(Utf8JsonWriter writer, JsonElement input);

    /// <summary>Whether the value is missing for this input (objects then leave the member out).</summary>
    public virtual bool IsMissing(JsonElement input) => false;

    public static JsonTemplate? Compile(ConfigNode node, ExpressionScope<JsonElement> scope, ConfigContext context, string what)
    {
        switch (node)
        {
            case ConfigMapping map:
            {
                var members = new List<(string, JsonTemplate)>();
                bool ok = true;
                foreach (var entry in map.Entries)
                    if (Compile(entry.Value, scope, context, what) is { } t) members.Add((entry.Key.Value, t));
                    else ok = false;
                return ok ? new ObjectTemplate(members) : null;
            }
            case ConfigSequence seq:
            {
                var items = new List<JsonTemplate>();
                bool ok = true;
                foreach (var item in seq.Items)
                    if (Compile(item, scope, context, what) is { } t) items.Add(t);
                    else ok = false;
                return ok ? new ArrayTemplate(items) : null;
            }
            case ConfigScalar s:
                return Scalar(s, scope, context, what);
            default:
                context.Error(node, $"{what}: unexpected {node.Describe()}");
                return null;
        }
    }

    private static JsonTemplate? Scalar(ConfigScalar s, ExpressionScope<JsonElement> scope, ConfigContext context, string what)
    {
        if (s.IsNull) return new LiteralTemplate(w => w.WriteNullValue());
        if (s.Style == ScalarStyle.Plain && s.TryGetBoolean(out var b)) return new LiteralTemplate(w => w.WriteBooleanValue(b));
        if (s.Style == ScalarStyle.Plain && s.TryGetNumber(out var n)) return new LiteralTemplate(w => w.WriteNumberValue(n));
        string text = s.Value;
        try
        {
            if (text.Length > 2 && text[0] == '{' && text[^1] == '}' && text.IndexOf('{', 1) < 0)
                return new ValueTemplate(ExpressionCompiler.CompileValue(text[1..^1], scope));
            if (text.Contains('{')) return new TextTemplate(ExpressionCompiler.CompileTemplate(text, scope));
        }
        catch (ExpressionException e)
        {
            context.Error(s.LocationOf(Math.Max(0, e.Column - (text[0] == '{' && text.IndexOf('{', 1) < 0 ? 0 : 1))), $"{what}: {e.Reason}");
            return null;
        }
        return new LiteralTemplate(w => w.WriteStringValue(text));
    }

    private sealed class ObjectTemplate(List<(string Name, JsonTemplate Value)> members) : JsonTemplate
    {
        public override void Write(Utf8JsonWriter writer, JsonElement input)
        {
            writer.WriteStartObject();
            foreach (var (name, value) in members)
            {
                if (value.IsMissing(input)) continue;
                writer.WritePropertyName(name);
                value.Write(writer, input);
            }
            writer.WriteEndObject();
        }
    }

    private sealed class ArrayTemplate(List<JsonTemplate> items) : JsonTemplate
    {
        public override void Write(Utf8JsonWriter writer, JsonElement input)
        {
            writer.WriteStartArray();
            foreach (var item in items)
                if (item.IsMissing(input)) writer.WriteNullValue();
                else item.Write(writer, input);
            writer.WriteEndArray();
        }
    }

    private sealed class LiteralTemplate(Action<Utf8JsonWriter> write) : JsonTemplate
    {
        public override void Write(Utf8JsonWriter writer, JsonElement input) => write(writer);
    }

    private sealed class TextTemplate(Func<JsonElement, string> render) : JsonTemplate
    {
        public override void Write(Utf8JsonWriter writer, JsonElement input) => writer.WriteStringValue(render(input));
    }

    private sealed class ValueTemplate(Func<JsonElement, object?> value) : JsonTemplate
    {
        public override bool IsMissing(JsonElement input) => value(input) is null or JsonElement { ValueKind: JsonValueKind.Undefined };

        public override void Write(Utf8JsonWriter writer, JsonElement input)
        {
            switch (value(input))
            {
                case null: writer.WriteNullValue(); break;
                case string s: writer.WriteStringValue(s); break;
                case double d: writer.WriteNumberValue(d); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case DateTimeOffset t: writer.WriteStringValue(t); break;
                case TimeSpan ts: writer.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture)); break;
                case JsonElement e: e.WriteTo(writer); break;
                case var other: writer.WriteStringValue(Convert.ToString(other, CultureInfo.InvariantCulture)); break;
            }
        }
    }
}
