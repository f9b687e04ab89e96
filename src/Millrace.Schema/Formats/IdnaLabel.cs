namespace Millrace.Schema.Formats;

/// <summary>IDNA A-labels: the part after "xn--" must be valid Punycode (RFC 3492).</summary>
internal static class IdnaLabel
{
    public static bool IsValidALabel(ReadOnlySpan<char> encoded) => Punycode.TryDecode(encoded, out _);
}
