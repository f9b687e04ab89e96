using System.Text;

namespace Millrace.Schema.Formats;

/// <summary>RFC 3492 Punycode decoding (bootstring with the IDNA parameters).</summary>
internal static class Punycode
{
    private const int Base = 36, TMin = 1, TMax = 26, Skew = 38, Damp = 700, InitialBias = 72, InitialN = 128;

    public static bool TryDecode(ReadOnlySpan<char> input, out string decoded)
    {
        decoded = "";
        var output = new List<int>();
        int delimiter = input.LastIndexOf('-');
        if (delimiter > 0)
        {
            foreach (char c in input[..delimiter])
            {
                if (c >= 0x80) return false;
                output.Add(c);
            }
        }
        int n = InitialN, bias = InitialBias, i = 0;
        int pos = delimiter > 0 ? delimiter + 1 : 0;
        if (pos >= input.Length) return false; // nothing encoded: not a meaningful A-label
        while (pos < input.Length)
        {
            int oldI = i, w = 1;
            for (int k = Base; ; k += Base)
            {
                if (pos >= input.Length) return false;
                int digit = Digit(input[pos++]);
                if (digit < 0) return false;
                if (digit > (int.MaxValue - i) / w) return false;
                i += digit * w;
                int t = k <= bias ? TMin : k >= bias + TMax ? TMax : k - bias;
                if (digit < t) break;
                if (w > int.MaxValue / (Base - t)) return false;
                w *= Base - t;
            }
            bias = Adapt(i - oldI, output.Count + 1, oldI == 0);
            if (i / (output.Count + 1) > int.MaxValue - n) return false;
            n += i / (output.Count + 1);
            i %= output.Count + 1;
            if (n > 0x10FFFF || n is >= 0xD800 and <= 0xDFFF) return false;
            output.Insert(i, n);
            i++;
        }
        var sb = new StringBuilder();
        foreach (int cp in output) sb.Append(char.ConvertFromUtf32(cp));
        decoded = sb.ToString();
        return true;
    }

    private static int Digit(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= 'A' and <= 'Z' => c - 'A',
        >= '0' and <= '9' => c - '0' + 26,
        _ => -1,
    };

    private static int Adapt(int delta, int numPoints, bool firstTime)
    {
        delta = firstTime ? delta / Damp : delta / 2;
        delta += delta / numPoints;
        int k = 0;
        while (delta > ((Base - TMin) * TMax) / 2)
        {
            delta /= Base - TMin;
            k += Base;
        }
        return k + (Base - TMin + 1) * delta / (delta + Skew);
    }
}
