using Millrace.Schema.Keywords;

namespace Millrace.Schema.Internal;

/// <summary>
/// Derives the fast-path keyword list of one schema object from its full list. The fast path only needs the
/// verdict, so keywords may be fused as long as the verdict is the same; the full path keeps the written keywords
/// so its output (which keyword failed, in which order) is unchanged.
/// </summary>
internal static class FastPathPlanner
{
    public static Keyword[] Plan(Keyword[] keywords)
    {
        var list = new List<Keyword>(keywords);
        FuseRequired(list);
        FuseStringAssertions(list);
        return list.ToArray();
    }

    /// <summary>
    /// When every required name is also a named property (the usual event schema), the properties pass records
    /// presence as a bit mask and <c>required</c> needs no second pass over the members.
    /// </summary>
    private static void FuseRequired(List<Keyword> keywords)
    {
        var properties = keywords.OfType<PropertiesKeyword>().FirstOrDefault();
        var required = keywords.OfType<RequiredKeyword>().FirstOrDefault(k => k.Name == "required");
        if (properties is null || required is null || properties.Names.Count == 0) return;
        ulong mask = 0;
        for (int i = 0; i < required.Names.Count; i++)
        {
            int index = properties.Names.IndexOf(required.Names.Utf8(i));
            if (index is < 0 or >= 64) return;
            mask |= 1UL << index;
        }
        if (mask == 0) return;
        properties.RequiredMask = mask;
        keywords.Remove(required);
    }

    /// <summary>
    /// <c>type: string</c>, minLength/maxLength, pattern and format of one object become one keyword that reads
    /// the value's kind and raw UTF-8 once instead of once per keyword.
    /// </summary>
    private static void FuseStringAssertions(List<Keyword> keywords)
    {
        var parts = keywords.OfType<IStringAssertion>().ToList();
        var type = keywords.OfType<TypeKeyword>().FirstOrDefault(t => t.Allowed == JsonTypes.String);
        if (parts.Count + (type is null ? 0 : 1) < 2) return;
        int at = keywords.FindIndex(k => k is IStringAssertion || ReferenceEquals(k, type));
        var fused = new StringAssertionsKeyword(keywords[at].AbsoluteLocation, parts.ToArray(), type is not null);
        keywords.RemoveAll(k => k is IStringAssertion || ReferenceEquals(k, type));
        keywords.Insert(Math.Min(at, keywords.Count), fused);
    }
}
