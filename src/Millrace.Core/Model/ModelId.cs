using System.Diagnostics.CodeAnalysis;

namespace Millrace.Core.Model;

/// <summary>
/// The identifier scheme. Every element has a <em>local id</em> chosen by the enterprise (lowercase letters, digits,
/// '-' and '_', starting with a letter or digit, at most 64 characters) and a <em>full id</em> that is the path of
/// local ids joined by '/':
/// <list type="bullet">
/// <item>plant (site): <c>plant-03</c></item>
/// <item>area: <c>plant-03/machining</c></item>
/// <item>line: <c>plant-03/line-2</c> (the area is not part of the path: moving a line between areas keeps its id)</item>
/// <item>work cell: <c>plant-03/line-2/cell-a</c></item>
/// <item>asset on a line (in a cell or not): <c>plant-03/line-2/cnc-07</c></item>
/// <item>asset directly in an area (no line): <c>plant-03/cold-store/ts-01</c></item>
/// <item>storage location: <c>plant-03/cold-store/bay-a</c></item>
/// <item>signal of an asset: <c>plant-03/line-2/cnc-07:spindle-vibration</c></item>
/// </list>
/// Areas and lines of one plant therefore share a namespace, as do cells, assets and storage locations of one
/// line or area; all full ids are unique across the enterprise.
/// </summary>
public static class ModelId
{
    /// <summary>Separates the levels of a full id.</summary>
    public const char PathSeparator = '/';

    /// <summary>Separates an asset id from a signal name in a signal key.</summary>
    public const char SignalSeparator = ':';

    /// <summary>Longest accepted local id.</summary>
    public const int MaxLocalLength = 64;

    /// <summary>Whether <paramref name="id"/> is a valid local id (one path segment).</summary>
    public static bool IsValidLocal([NotNullWhen(true)] string? id) => id is not null && IsValidLocal(id.AsSpan());

    /// <summary>Span overload of <see cref="IsValidLocal(string?)"/>.</summary>
    public static bool IsValidLocal(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > MaxLocalLength) return false;
        if (!IsLowerAlnum(id[0])) return false;
        foreach (var c in id)
            if (!IsLowerAlnum(c) && c != '-' && c != '_') return false;
        return true;
    }

    /// <summary>Whether <paramref name="id"/> is a valid full id: one or more valid local ids joined by '/'.</summary>
    public static bool IsValidPath([NotNullWhen(true)] string? id)
    {
        if (string.IsNullOrEmpty(id)) return false;
        foreach (var range in id.AsSpan().Split(PathSeparator))
            if (!IsValidLocal(id.AsSpan()[range])) return false;
        return true;
    }

    /// <summary>A human explanation of why <paramref name="id"/> is not a valid local id.</summary>
    public static string ExplainInvalidLocal(string id)
    {
        if (id.Length == 0) return "an id must not be empty";
        if (id.Length > MaxLocalLength) return $"id '{id}' is longer than {MaxLocalLength} characters";
        if (id.Contains(PathSeparator))
            return $"invalid id '{id}': write the local id only (no '/'); the full id is computed from the hierarchy";
        var suggestion = Normalise(id);
        return $"invalid id '{id}': ids use lowercase letters, digits, '-' and '_', starting with a letter or digit"
               + (suggestion.Length > 0 && suggestion != id ? $" (e.g. '{suggestion}')" : "");
    }

    /// <summary>Joins a parent full id and a local id.</summary>
    public static string Combine(string parent, string local) => string.Concat(parent, "/", local);

    /// <summary>The key of an asset's signal: <c>asset-full-id:signal-name</c>.</summary>
    public static string SignalKey(string assetId, string signalName) => string.Concat(assetId, ":", signalName);

    /// <summary>The last segment of a full id.</summary>
    public static string LocalPart(string fullId)
    {
        var i = fullId.LastIndexOf(PathSeparator);
        return i < 0 ? fullId : fullId[(i + 1)..];
    }

    private static bool IsLowerAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    private static string Normalise(string id)
    {
        var chars = id.Trim().ToLowerInvariant().Select(c => IsLowerAlnum(c) || c == '_' ? c : '-').ToArray();
        return new string(chars).Trim('-', '_');
    }
}
