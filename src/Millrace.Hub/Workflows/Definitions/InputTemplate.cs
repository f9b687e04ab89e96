using System.Text.Json;

namespace Millrace.Hub.Workflows.Definitions;

/// <summary>How one value of a call's input is made.</summary>
public enum InputKind
{
    /// <summary>A fixed JSON value (a YAML number, boolean or null).</summary>
    Literal,

    /// <summary>Text with expression holes: <c>"Case for {event.data.asset}"</c>; always a JSON string.</summary>
    Template,

    /// <summary>An expression whose value keeps its type (<c>=steps.stock.output.available</c>).</summary>
    Expression,

    /// <summary>A JSON object of input values.</summary>
    Object,

    /// <summary>A JSON array of input values.</summary>
    Array,
}

/// <summary>A call's input mapping: a tree of literals, templates and expressions that becomes a JSON value.</summary>
public sealed record InputTemplate(
    InputKind Kind,
    string? Text = null,
    JsonElement? Literal = null,
    IReadOnlyList<KeyValuePair<string, InputTemplate>>? Members = null,
    IReadOnlyList<InputTemplate>? Items = null)
{
    /// <summary>An empty object.</summary>
    public static readonly InputTemplate EmptyObject = new(InputKind.Object, Members: []);
}
