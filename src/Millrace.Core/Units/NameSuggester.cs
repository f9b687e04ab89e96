namespace Millrace.Core.Units;

/// <summary>
/// "Did you mean …?" for unit symbols, configuration keys and identifiers: the closest candidate by edit distance,
/// if it is close enough to be a plausible typo.
/// </summary>
internal static class NameSuggester
{
    /// <summary>The candidate closest to <paramref name="input"/>, or null when nothing is plausibly meant.</summary>
    public static string? Suggest(string input, IEnumerable<string> candidates)
    {
        if (string.IsNullOrEmpty(input)) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        // Long names tolerate more typos; one- or two-letter names tolerate one.
        var limit = input.Length <= 3 ? 1 : input.Length <= 8 ? 2 : 3;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, input, StringComparison.OrdinalIgnoreCase)) return candidate;
            var d = Distance(input, candidate, limit);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Case-insensitive optimal-string-alignment distance (Levenshtein plus adjacent transpositions).</summary>
    internal static int Distance(string a, string b, int limit = int.MaxValue)
    {
        if (Math.Abs(a.Length - b.Length) > limit) return int.MaxValue;
        var rows = new int[3][];
        for (var r = 0; r < 3; r++) rows[r] = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) rows[1][j] = j;
        int[] prev2 = rows[0], prev = rows[1], cur = rows[2];
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                var v = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1
                    && char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 2])
                    && char.ToLowerInvariant(a[i - 2]) == char.ToLowerInvariant(b[j - 1]))
                    v = Math.Min(v, prev2[j - 2] + 1);
                cur[j] = v;
            }
            (prev2, prev, cur) = (prev, cur, prev2);
        }
        return prev[b.Length];
    }
}
