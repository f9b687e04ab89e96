using Millrace.Core.Model;
using Millrace.Core.Units;

namespace Millrace.Core.Config;

/// <summary>Reads a temperature range mapping <c>{ min, max, unit }</c> (all required, unit a temperature).</summary>
internal static class TemperatureReader
{
    public static TemperatureRange? Read(ConfigContext context, MappingReader owner, string key)
    {
        var m = owner.Mapping(key, key);
        if (m is null) return null;
        var min = m.Number("min", required: true);
        var max = m.Number("max", required: true);
        var unitNode = m.Text("unit", required: true);
        m.Complete();
        Unit? unit = null;
        if (unitNode is not null)
        {
            if (!context.Units.TryParse(unitNode.Value, out unit, out var error)) context.Error(unitNode, error);
            else if (unit.Dimension != Dimension.Temperature)
            {
                context.Error(unitNode, $"'{unit.Symbol}' is not a temperature unit (use °C, °F or K)");
                unit = null;
            }
        }
        if (min is null || max is null || unit is null) return null;
        if (min > max)
        {
            context.Error(m.Location, $"{key} min {min} is above max {max}");
            return null;
        }
        return new TemperatureRange(min.Value, max.Value, unit);
    }
}
