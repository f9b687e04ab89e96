using System.Globalization;
using System.Text;

namespace Millrace.Schema.Formats;

/// <summary>
/// IDNA2008 A-labels (RFC 5890-5892): the part after "xn--" must be Punycode that decodes to a U-label whose code
/// points are allowed and whose contextual rules (CONTEXTJ, CONTEXTO) hold. Character classes are approximated by
/// Unicode general categories plus the RFC 5892 exception table; no full derived-property table is embedded.
/// </summary>
internal static class IdnaLabel
{
    private static readonly int[] Viramas =
    [
        0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C, 0x0D4D, 0x0DCA, 0x0E3A,
        0x0F84, 0x1039, 0x103A, 0x1714, 0x1734, 0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F,
        0xA806, 0xA8C4, 0xA953, 0xA9C0, 0xAAF6, 0xABED,
    ];

    public static bool IsValidALabel(ReadOnlySpan<char> encoded)
    {
        if (!Punycode.TryDecode(encoded, out var decoded)) return false;
        var cps = new List<int>();
        foreach (var rune in decoded.EnumerateRunes()) cps.Add(rune.Value);
        if (cps.Count == 0 || cps.TrueForAll(c => c < 0x80)) return false; // an A-label must encode something
        if (cps.Count >= 4 && cps[2] == '-' && cps[3] == '-') return false;
        if (cps[0] == '-' || cps[^1] == '-') return false;
        if (IsMark(cps[0])) return false;
        bool arabicIndic = cps.Exists(c => c is >= 0x0660 and <= 0x0669);
        bool extendedArabicIndic = cps.Exists(c => c is >= 0x06F0 and <= 0x06F9);
        if (arabicIndic && extendedArabicIndic) return false;
        for (int i = 0; i < cps.Count; i++)
        {
            int c = cps[i];
            int prev = i > 0 ? cps[i - 1] : -1, next = i + 1 < cps.Count ? cps[i + 1] : -1;
            bool ok = c switch
            {
                0x00B7 => prev == 'l' && next == 'l',
                0x0375 => next >= 0 && IsGreek(next),
                0x05F3 or 0x05F4 => prev >= 0 && prev is >= 0x0590 and <= 0x05FF,
                0x30FB => cps.Exists(IsJapaneseOrHan),
                0x200D => prev >= 0 && Array.IndexOf(Viramas, prev) >= 0,
                0x200C => prev >= 0 && Array.IndexOf(Viramas, prev) >= 0 || JoinsAround(cps, i),
                0x00DF or 0x03C2 or 0x06FD or 0x06FE or 0x0F0B or 0x3007 => true,
                0x0640 or 0x07FA or 0x302E or 0x302F or (>= 0x3031 and <= 0x3035) or 0x303B => false,
                _ => IsProtocolValid(c),
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool IsProtocolValid(int c)
    {
        if (c == '-') return true;
        if (c < 0x80) return char.IsAsciiLetterLower((char)c) || char.IsAsciiDigit((char)c);
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category switch
        {
            UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }

    private static bool IsMark(int c) => CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsGreek(int c) => c is >= 0x0370 and <= 0x03FF or >= 0x1F00 and <= 0x1FFF;

    private static bool IsJapaneseOrHan(int c) =>
        c != 0x30FB && (c is >= 0x3040 and <= 0x309F or >= 0x30A0 and <= 0x30FF or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x2FA1F);

    /// <summary>ZWNJ between joining letters (approximated as Arabic-script letters, skipping transparent marks).</summary>
    private static bool JoinsAround(List<int> cps, int index)
    {
        int before = index - 1;
        while (before >= 0 && IsMark(cps[before])) before--;
        int after = index + 1;
        while (after < cps.Count && IsMark(cps[after])) after++;
        return before >= 0 && after < cps.Count && IsJoiningLetter(cps[before]) && IsJoiningLetter(cps[after]);
    }

    private static bool IsJoiningLetter(int c) =>
        c is >= 0x0620 and <= 0x064A or >= 0x066E and <= 0x06D3 or >= 0x06FA and <= 0x06FF or >= 0x0710 and <= 0x074F
            && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter;
}
