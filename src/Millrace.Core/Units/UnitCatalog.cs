using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Millrace.Core.Units;

/// <summary>
/// The units Millrace understands, by symbol and alias. Parsing is case-sensitive (<c>mm</c> is not <c>Mm</c>,
/// <c>K</c> is kelvin) and deliberately refuses ambiguous spellings such as a bare <c>C</c> (coulomb or Celsius?):
/// those get an error that names the unambiguous spelling.
/// </summary>
public sealed partial class UnitCatalog
{
    private readonly FrozenDictionary<string, Unit> _bySpelling;
    private readonly FrozenDictionary<string, Unit>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Unit[] _units;
    private readonly string[] _spellings; // catalogue order, so suggestions are deterministic

    /// <summary>The built-in catalogue (see docs/configuration.md for the list).</summary>
    public static UnitCatalog Default { get; } = new(BuiltInUnits());

    private UnitCatalog(Unit[] units)
    {
        _units = units;
        var map = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            map.Add(unit.Symbol, unit);
            foreach (var alias in unit.Aliases) map.Add(alias, unit);
        }
        _bySpelling = map.ToFrozenDictionary(StringComparer.Ordinal);
        _spellings = [.. units.SelectMany(u => u.Aliases.Prepend(u.Symbol))];
        _bySpan = _bySpelling.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Every unit, in catalogue order (grouped by dimension).</summary>
    public IReadOnlyList<Unit> All => _units;

    /// <summary>The units of one dimension.</summary>
    public IEnumerable<Unit> OfDimension(Dimension dimension) => _units.Where(u => u.Dimension == dimension);

    /// <summary>Looks up a unit by symbol or alias (exact, case-sensitive; surrounding spaces ignored).</summary>
    public bool TryParse(string? text, [NotNullWhen(true)] out Unit? unit)
    {
        if (text is null)
        {
            unit = null;
            return false;
        }
        return TryParse(text.AsSpan(), out unit);
    }

    /// <summary>Span overload of <see cref="TryParse(string?, out Unit?)"/>; does not allocate.</summary>
    public bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out Unit? unit)
        => _bySpan.TryGetValue(text.Trim(), out unit);

    /// <summary>
    /// Looks up a unit; on failure <paramref name="error"/> says why and, when a known unit is a plausible
    /// typo or the unambiguous spelling of what was written, suggests it.
    /// </summary>
    public bool TryParse(string? text, [NotNullWhen(true)] out Unit? unit, [NotNullWhen(false)] out string? error)
    {
        if (TryParse(text, out unit))
        {
            error = null;
            return true;
        }
        error = Explain(text);
        return false;
    }

    /// <summary>Looks up a unit or throws <see cref="FormatException"/> with the explanation.</summary>
    public Unit Parse(string text)
        => TryParse(text, out var unit, out var error) ? unit : throw new FormatException(error);

    /// <summary>The spelling a user most plausibly meant, or null.</summary>
    public string? Suggest(string text)
    {
        var trimmed = text.Trim();
        if (AmbiguousSpellings.TryGetValue(trimmed, out var hint)) return hint.Write;
        return NameSuggester.Suggest(trimmed, _spellings);
    }

    private string Explain(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "empty unit";
        var trimmed = text.Trim();
        if (AmbiguousSpellings.TryGetValue(trimmed, out var hint))
            return $"ambiguous unit '{trimmed}' ({hint.Why}); write '{hint.Write}'";
        var suggestion = NameSuggester.Suggest(trimmed, _spellings);
        return suggestion is null
            ? $"unknown unit '{trimmed}' (see docs/configuration.md, \"Units\")"
            : $"unknown unit '{trimmed}'; did you mean '{suggestion}'?";
    }

    // Spellings people write that would silently mean something else (C is coulomb, F is farad, g is gram).
    private static readonly FrozenDictionary<string, (string Write, string Why)> AmbiguousSpellings =
        new Dictionary<string, (string, string)>
        {
            ["C"] = ("°C", "coulomb or degree Celsius?"),
            ["F"] = ("°F", "farad or degree Fahrenheit?"),
            ["deg C"] = ("°C", "spaces are not part of unit symbols"),
            ["deg F"] = ("°F", "spaces are not part of unit symbols"),
            ["°K"] = ("K", "kelvin takes no degree sign"),
            ["degK"] = ("K", "kelvin takes no degree sign"),
            ["G"] = ("gn", "gauss or standard gravity?"),
        }.ToFrozenDictionary(StringComparer.Ordinal);
}
