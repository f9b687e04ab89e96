using System.Globalization;
using System.Text.Json;

namespace Millrace.Hub.Connectors.Tryton;

/// <summary>A call's input that the operation cannot use (missing or mistyped member): permanent, names the field.</summary>
internal sealed class TrytonInputException(string message) : Exception(message);

/// <summary>Reads an operation's input members with errors that name the member and the operation.</summary>
internal readonly struct TrytonInput(string operation, JsonElement input)
{
    public string RequiredString(string name)
        => OptionalString(name) ?? throw new TrytonInputException($"{operation}: input member '{name}' is required (a non-empty string)");

    public string? OptionalString(string name)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        var s = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new TrytonInputException($"{operation}: input member '{name}' must be a string, not {v.ValueKind}"),
        };
        return string.IsNullOrWhiteSpace(s) ? null : s;
    }

    public double RequiredNumber(string name)
        => OptionalNumber(name) ?? throw new TrytonInputException($"{operation}: input member '{name}' is required (a number)");

    public double? OptionalNumber(string name)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        if (v.ValueKind == JsonValueKind.Number)
            return v.GetDouble();
        if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d;
        throw new TrytonInputException($"{operation}: input member '{name}' must be a number, not {v.ValueKind}");
    }

    public bool? OptionalBool(string name)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new TrytonInputException($"{operation}: input member '{name}' must be true or false, not {v.ValueKind}"),
        };
    }

    public double NonNegative(string name, double value)
        => value >= 0 && double.IsFinite(value) ? value
            : throw new TrytonInputException($"{operation}: input member '{name}' must be zero or positive, not {value.ToString(CultureInfo.InvariantCulture)}");
}
