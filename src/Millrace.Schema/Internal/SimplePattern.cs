namespace Millrace.Schema.Internal;

/// <summary>
/// A matcher for the anchored ASCII patterns that dominate real schemas (e.g. <c>^[0-9]{10}$</c>,
/// <c>^[A-Z]{2}-[0-9]+$</c>), run on the raw UTF-8 bytes without decoding. Only sequences where every atom but the
/// last has a fixed count qualify, so greedy matching is exact; anything else goes to the regex engine.
/// </summary>
internal sealed class SimplePattern
{
    private readonly (bool[] Set, int Min, int Max)[] _atoms;

    private SimplePattern((bool[], int, int)[] atoms) => _atoms = atoms;

    public static SimplePattern? TryCreate(string pattern)
    {
        if (pattern.Length < 3 || pattern[0] != '^' || pattern[^1] != '$' || pattern.EndsWith("\\$", StringComparison.Ordinal))
            return null;
        var atoms = new List<(bool[], int, int)>();
        int i = 1, end = pattern.Length - 1;
        while (i < end)
        {
            var set = new bool[128];
            char c = pattern[i];
            if (c == '[')
            {
                int close = pattern.IndexOf(']', i + 1);
                if (close < 0 || close >= end) return null;
                var body = pattern.AsSpan(i + 1, close - i - 1);
                if (body.IsEmpty || body[0] == '^') return null;
                for (int k = 0; k < body.Length; k++)
                {
                    char a = body[k];
                    if (!IsPlain(a)) return null;
                    if (k + 2 < body.Length && body[k + 1] == '-')
                    {
                        char b = body[k + 2];
                        if (!IsPlain(b) || b < a) return null;
                        for (char x = a; x <= b; x++) set[x] = true;
                        k += 2;
                    }
                    else set[a] = true;
                }
                i = close + 1;
            }
            else if (c == '\\' && i + 1 < end && pattern[i + 1] == 'd')
            {
                for (char x = '0'; x <= '9'; x++) set[x] = true;
                i += 2;
            }
            else if (IsPlain(c))
            {
                set[c] = true;
                i++;
            }
            else return null;
            int min = 1, max = 1;
            if (i < end)
            {
                switch (pattern[i])
                {
                    case '+': min = 1; max = int.MaxValue; i++; break;
                    case '*': min = 0; max = int.MaxValue; i++; break;
                    case '?': min = 0; max = 1; i++; break;
                    case '{':
                        int close = pattern.IndexOf('}', i);
                        if (close < 0 || close >= end) return null;
                        var parts = pattern[(i + 1)..close].Split(',');
                        if (parts.Length > 2 || !int.TryParse(parts[0], out min)) return null;
                        if (parts.Length == 1) max = min;
                        else if (parts[1].Length == 0) max = int.MaxValue;
                        else if (!int.TryParse(parts[1], out max) || max < min) return null;
                        i = close + 1;
                        break;
                }
            }
            atoms.Add((set, min, max));
        }
        for (int k = 0; k < atoms.Count - 1; k++)
            if (atoms[k].Item2 != atoms[k].Item3) return null;
        return atoms.Count == 0 ? null : new SimplePattern(atoms.ToArray());
    }

    /// <summary>Matches unescaped UTF-8 string content; non-ASCII bytes never belong to an ASCII set.</summary>
    public bool IsMatch(ReadOnlySpan<byte> utf8)
    {
        int pos = 0;
        foreach (var (set, min, max) in _atoms)
        {
            int count = 0;
            while (count < max && pos < utf8.Length && utf8[pos] < 128 && set[utf8[pos]])
            {
                pos++;
                count++;
            }
            if (count < min) return false;
        }
        return pos == utf8.Length;
    }

    // Letters, digits and a few punctuation marks that are literal both inside and outside classes.
    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '@' or '#' or ' ' or '%' or '=' or ',' or '~';
}
