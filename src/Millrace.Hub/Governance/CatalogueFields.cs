using System.Globalization;
using Millrace.Core.Config;

namespace Millrace.Hub.Governance;

/// <summary>
/// Checks the catalogue fields of one <c>schemas:</c> entry (domain, lifecycle, sunset, replaced-by, producers,
/// consumers) and reports each problem at its own <c>file:line:col</c>.
/// </summary>
internal static class CatalogueFields
{
    /// <summary>The lifecycle and sunset, or null when any field is wrong (every problem is reported).</summary>
    public static (EventLifecycle Lifecycle, DateOnly? Sunset)? Read(MappingReader entry, ConfigContext context, ConfigScalar? domain,
        ConfigScalar? lifecycleNode, ConfigScalar? sunsetNode, ConfigScalar? replacedBy,
        IReadOnlyList<ConfigScalar> producers, IReadOnlyList<ConfigScalar> consumers)
    {
        bool ok = true;
        if (domain is not null && !EventLifecycles.Domains.Contains(domain.Value))
        {
            var suggestion = SchemasSection.Closest(domain.Value.Trim().ToLowerInvariant(), EventLifecycles.Domains);
            context.Error(domain, $"unknown domain '{domain.Value}' (known: {string.Join(", ", EventLifecycles.Domains)})"
                                  + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
            ok = false;
        }
        var lifecycle = EventLifecycle.Active;
        if (lifecycleNode is not null && !EventLifecycles.TryParse(lifecycleNode.Value, out lifecycle))
        {
            var suggestion = SchemasSection.Closest(lifecycleNode.Value.Trim().ToLowerInvariant(), EventLifecycles.Names);
            context.Error(lifecycleNode, $"unknown lifecycle '{lifecycleNode.Value}' (known: {string.Join(", ", EventLifecycles.Names)})"
                                         + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
            return null;
        }
        DateOnly? sunset = null;
        if (sunsetNode is not null)
        {
            if (DateOnly.TryParseExact(sunsetNode.Value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                sunset = date;
            else
            {
                context.Error(sunsetNode, $"sunset '{sunsetNode.Value}' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-31");
                ok = false;
            }
            if (lifecycle is EventLifecycle.Draft or EventLifecycle.Active)
            {
                context.Error(sunsetNode, $"'sunset' applies to deprecated or retired types, but the lifecycle is {lifecycle.ToName()}");
                ok = false;
            }
        }
        else if (lifecycle == EventLifecycle.Deprecated)
        {
            context.Error(lifecycleNode!, "a deprecated event type needs 'sunset: YYYY-MM-DD', the date after which it will be retired");
            ok = false;
        }
        if (replacedBy is not null && lifecycle is EventLifecycle.Draft or EventLifecycle.Active)
        {
            context.Error(replacedBy, $"'replaced-by' applies to deprecated or retired types, but the lifecycle is {lifecycle.ToName()}");
            ok = false;
        }
        ok &= Unique(producers, "producer", entry, context);
        ok &= Unique(consumers, "consumer", entry, context);
        return ok ? (lifecycle, sunset) : null;
    }

    private static bool Unique(IReadOnlyList<ConfigScalar> names, string what, MappingReader entry, ConfigContext context)
    {
        bool ok = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name.Value.Trim().Length == 0)
            {
                context.Error(name, $"empty {what} name in {entry.What}");
                ok = false;
            }
            else if (!seen.Add(name.Value))
            {
                context.Error(name, $"{what} '{name.Value}' is listed twice in {entry.What}");
                ok = false;
            }
        }
        return ok;
    }
}
