using System.Globalization;

namespace Millrace.Hub.Governance.Admission;

/// <summary>
/// The CloudEvents <c>dataschema</c> of a governed event: the registry URI of a version,
/// <c>https://millrace.dev/schemas/{subject}/{version}</c> (<see cref="SchemaRegistry.SchemaUri"/>; the same URI is the
/// schema's <c>$id</c>). The subject must be the event's <c>type</c>. Without <c>dataschema</c> an event is validated
/// against the latest version of its type.
/// </summary>
public static class DataSchemaReference
{
    /// <summary>
    /// Splits a registry URI into subject and version; false (with why) when <paramref name="uri"/> is not one.
    /// A trailing <c>#</c> (an empty fragment, as <c>$id</c>s are sometimes written) is accepted.
    /// </summary>
    public static bool TryParse(string uri, out string subject, out int version, out string why)
    {
        subject = "";
        version = 0;
        why = "";
        var text = uri.TrimEnd('#');
        if (!text.StartsWith(SchemaRegistry.UriBase, StringComparison.Ordinal))
        {
            why = $"dataschema '{uri}' is not a registry URI ({SchemaRegistry.UriBase}{{subject}}/{{version}})";
            return false;
        }
        var rest = text.AsSpan(SchemaRegistry.UriBase.Length);
        int slash = rest.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(rest[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out version) || version < 1)
        {
            why = $"dataschema '{uri}' names no version: expected {SchemaRegistry.UriBase}{{subject}}/{{version}} with a version from 1";
            return false;
        }
        subject = rest[..slash].ToString();
        return true;
    }
}
