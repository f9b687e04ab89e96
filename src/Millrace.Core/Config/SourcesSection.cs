using System.Collections.Immutable;
using Millrace.Core.Model;
using Millrace.Core.Units;

namespace Millrace.Core.Config;

/// <summary>Reads the kind-specific keys of one source; common keys are already read into <paramref name="common"/>.</summary>
/// <param name="common">A source definition of no particular kind carrying id, description, enabled and scope.</param>
/// <param name="reader">The source mapping; ask for kind-specific keys, <see cref="MappingReader.Complete"/> is called afterwards.</param>
/// <param name="context">For reporting.</param>
/// <returns>The definition, or null when it is invalid (after reporting).</returns>
public delegate SourceDefinition? SourceKindReader(SourceDefinition common, MappingReader reader, ConfigContext context);

/// <summary>
/// <c>sources:</c> — a list of telemetry sources. Built-in kinds: <c>http</c>, <c>mqtt</c>, <c>simulator</c>;
/// more with <see cref="AddKind"/>. Resolves after <c>plants</c> (scope references). Publishes
/// <see cref="ConfigCatalog{SourceDefinition}"/>.
/// </summary>
public sealed partial class SourcesSection : ConfigSection
{
    private readonly Dictionary<string, SourceKindReader> _kinds = new(StringComparer.Ordinal);
    private readonly List<ConfigNode> _items = [];

    /// <summary>A sources section with the built-in kinds.</summary>
    public SourcesSection()
    {
        _kinds["http"] = ReadHttp;
        _kinds["mqtt"] = ReadMqtt;
        _kinds["simulator"] = ReadSimulator;
    }

    /// <inheritdoc />
    public override string Key => "sources";

    /// <summary>Adds (or replaces) a source kind, e.g. <c>opcua</c> in a later feature.</summary>
    public SourcesSection AddKind(string kind, SourceKindReader reader)
    {
        _kinds[kind] = reader;
        return this;
    }

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context) => _items.AddRange(context.ReadList(value, "sources"));

    /// <inheritdoc />
    public override void Resolve(ConfigContext context)
    {
        var model = context.Get<EnterpriseModel>();
        var sources = new List<SourceDefinition>();
        foreach (var item in _items)
        {
            var source = ReadSource(item, model, context);
            if (source is not null) sources.Add(source);
        }
        context.Set(new ConfigCatalog<SourceDefinition>(sources, s => s.Id));
    }

    private SourceDefinition? ReadSource(ConfigNode node, EnterpriseModel? model, ConfigContext context)
    {
        var m = context.ReadMapping(node, "source");
        if (m is null) return null;
        var id = m.Id();
        if (id is not null) m.What = $"source '{id.Value}'";
        var kindNode = m.Text("kind", required: true);
        var description = m.String("description");
        var enabled = m.Boolean("enabled") ?? true;
        var plants = ResolvePlants(m.TextList("plants"), model, context);
        var lines = ResolveLines(m.TextList("lines"), model, context);
        SourceDefinition? result = null;
        if (kindNode is not null)
        {
            if (_kinds.TryGetValue(kindNode.Value, out var reader))
            {
                m.What = id is null ? $"{kindNode.Value} source" : $"{kindNode.Value} source '{id.Value}'";
                var common = new UntypedSource(id?.Value ?? "", kindNode.Value) { Description = description, Enabled = enabled, Plants = plants, Lines = lines };
                result = reader(common, m, context);
            }
            else
            {
                var suggestion = NameSuggester.Suggest(kindNode.Value, _kinds.Keys);
                context.Error(kindNode, $"unknown source kind '{kindNode.Value}' (known: {string.Join(", ", _kinds.Keys)})"
                                        + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
                m.Allow([.. m.Node.Entries.Select(e => e.Key.Value)]); // unknown kind: its keys cannot be judged
            }
        }
        m.Complete(InlineSecretHint);
        if (id is null || result is null) return null;
        return context.Declare("source", id.Value, id.Location, "source") ? result : null;
    }

    /// <summary>Carries the common keys to a <see cref="SourceKindReader"/>.</summary>
    private sealed record UntypedSource(string Id, string Kind) : SourceDefinition(Id, Kind);

    private static string? InlineSecretHint(string key) =>
        key is "password" or "username" or "user" or "secret" or "token" or "api-key" or "apikey"
            ? $"'{key}' is not allowed: secrets are never written in configuration; use 'credentials: env:NAME' or 'credentials: file:path'"
            : null;

    private static ImmutableArray<string> ResolvePlants(IReadOnlyList<ConfigScalar> refs, EnterpriseModel? model, ConfigContext context)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var r in refs)
        {
            if (model is not null && !model.TryGetSite(r.Value, out _))
                context.UnknownReference(r, "plant", r.Value, model.Sites.Select(s => s.Id));
            else result.Add(r.Value);
        }
        return result.ToImmutable();
    }

    private static ImmutableArray<string> ResolveLines(IReadOnlyList<ConfigScalar> refs, EnterpriseModel? model, ConfigContext context)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var r in refs)
        {
            if (!r.Value.Contains(ModelId.PathSeparator))
                context.Error(r, $"line '{r.Value}': write the full line id, e.g. 'plant-01/{r.Value}'");
            else if (model is not null && !model.TryGetLine(r.Value, out _))
                context.UnknownReference(r, "line", r.Value, model.Lines.Select(l => l.Id));
            else result.Add(r.Value);
        }
        return result.ToImmutable();
    }
}
