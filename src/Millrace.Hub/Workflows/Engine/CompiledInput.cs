using System.Globalization;
using System.Text.Json;
using Millrace.Core.Expressions;
using Millrace.Hub.Workflows.Definitions;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>An <see cref="InputTemplate"/> compiled against a workflow scope: writes the JSON input of a call.</summary>
public sealed class CompiledInput
{
    private readonly Action<Utf8JsonWriter, WorkflowScopeContext> _write;

    private CompiledInput(Action<Utf8JsonWriter, WorkflowScopeContext> write) => _write = write;

    /// <summary>Compiles the template; throws <see cref="ExpressionException"/> for a bad expression (with <paramref name="onError"/> given, reports it there and writes null instead).</summary>
    public static CompiledInput Compile(InputTemplate template, WorkflowScope scope, Action<InputTemplate, ExpressionException>? onError = null)
        => new(Build(template, scope, onError));

    /// <summary>Evaluates the input for one instance.</summary>
    public JsonElement Evaluate(WorkflowScopeContext context)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) _write(writer, context);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    private static Action<Utf8JsonWriter, WorkflowScopeContext> Build(InputTemplate t, WorkflowScope scope, Action<InputTemplate, ExpressionException>? onError)
    {
        try
        {
            switch (t.Kind)
            {
                case InputKind.Literal:
                    var literal = t.Literal;
                    return (w, _) => { if (literal is { } l) l.WriteTo(w); else w.WriteNullValue(); };
                case InputKind.Template:
                    var text = ExpressionCompiler.CompileTemplate(t.Text ?? "", scope.Scope);
                    return (w, c) => w.WriteStringValue(text(c));
                case InputKind.Expression:
                    var value = ExpressionCompiler.CompileValue(t.Text ?? "null", scope.Scope);
                    return (w, c) => WriteValue(w, value(c));
                case InputKind.Array:
                    var items = (t.Items ?? []).Select(i => Build(i, scope, onError)).ToArray();
                    return (w, c) =>
                    {
                        w.WriteStartArray();
                        foreach (var item in items) item(w, c);
                        w.WriteEndArray();
                    };
                default:
                    var members = (t.Members ?? []).Select(m => (m.Key, Write: Build(m.Value, scope, onError))).ToArray();
                    return (w, c) =>
                    {
                        w.WriteStartObject();
                        foreach (var (name, write) in members)
                        {
                            w.WritePropertyName(name);
                            write(w, c);
                        }
                        w.WriteEndObject();
                    };
            }
        }
        catch (ExpressionException e) when (onError is not null)
        {
            onError(t, e);
            return (w, _) => w.WriteNullValue();
        }
    }

    /// <summary>Writes a value produced by <see cref="ExpressionCompiler.CompileValue{TContext}(string, ExpressionScope{TContext}, ExpressionOptions?)"/>.</summary>
    public static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case double d when double.IsNaN(d) || double.IsInfinity(d): w.WriteNullValue(); break;
            case double d: w.WriteNumberValue(d); break;
            case bool b: w.WriteBooleanValue(b); break;
            case string s: w.WriteStringValue(s); break;
            case DateTimeOffset t: w.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture)); break;
            case TimeSpan span: w.WriteNumberValue(span.TotalSeconds); break;
            case JsonElement e when e.ValueKind == JsonValueKind.Undefined: w.WriteNullValue(); break;
            case JsonElement e: e.WriteTo(w); break;
            default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
