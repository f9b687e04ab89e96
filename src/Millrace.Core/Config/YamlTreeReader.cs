using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Millrace.Core.Config;

/// <summary>
/// Builds <see cref="ConfigNode"/> trees from one YAML file. Never throws: syntax errors become diagnostics and the
/// part of the document read before the error is returned (its unclosed collections flagged incomplete), so the
/// loader can still check everything that came before.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Deepest nesting accepted; real configuration never comes close, hostile input might.</summary>
    public const int MaxDepth = 64;

    private sealed class Frame(ConfigNode node)
    {
        public ConfigNode Node { get; } = node;
        public ConfigScalar? PendingKey;
        public bool SkipValue;
        public List<ConfigNode>? Merges;
        public string? Anchor;
    }

    public static List<ConfigNode> Read(string file, string text, List<ConfigDiagnostic> diagnostics)
    {
        var roots = new List<ConfigNode>();
        var stack = new Stack<Frame>();
        var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(text));
        var last = new SourceLocation(file, 1, 1);

        void Error(SourceLocation at, string message) =>
            diagnostics.Add(new ConfigDiagnostic(at, DiagnosticSeverity.Error, message));

        void Attach(ConfigNode node)
        {
            if (stack.Count == 0)
            {
                roots.Add(node);
                return;
            }
            var frame = stack.Peek();
            if (frame.Node is ConfigSequence sequence)
            {
                sequence.ItemList.Add(node);
                return;
            }
            var mapping = (ConfigMapping)frame.Node;
            if (frame.PendingKey is null && !frame.SkipValue)
            {
                if (node is ConfigScalar key)
                {
                    frame.PendingKey = key;
                }
                else
                {
                    Error(node.Location, $"a mapping key must be a string, got {node.Describe()}");
                    frame.SkipValue = true;
                }
                return;
            }
            var pending = frame.PendingKey;
            frame.PendingKey = null;
            if (frame.SkipValue || pending is null)
            {
                frame.SkipValue = false;
                return;
            }
            if (pending.Value == "<<" && pending.Style == ScalarStyle.Plain)
            {
                (frame.Merges ??= []).Add(node);
                return;
            }
            if (!mapping.TryAdd(pending, node))
            {
                var first = mapping.FirstKey(pending.Value).Location;
                Error(pending.Location, $"duplicate key '{pending.Value}' (first at line {first.Line}, column {first.Column})");
            }
        }

        void Close(Frame frame, bool complete)
        {
            switch (frame.Node)
            {
                case ConfigMapping mapping:
                    mapping.IsComplete = complete;
                    ApplyMerges(mapping, frame.Merges, Error);
                    break;
                case ConfigSequence sequence:
                    sequence.IsComplete = complete;
                    break;
            }
            // Anchors are registered once complete, so an alias can never refer to its own ancestor (no cycles).
            if (complete && frame.Anchor is { } anchor) anchors[anchor] = frame.Node;
            Attach(frame.Node);
        }

        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                var at = new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column);
                last = new SourceLocation(file, (int)e.End.Line, (int)e.End.Column);
                switch (e)
                {
                    case Scalar s:
                        var scalar = new ConfigScalar(at, s.Value, Style(s.Style), Tag(s.Tag), RawText(text, e));
                        if (!s.Anchor.IsEmpty) anchors[s.Anchor.Value] = scalar;
                        Attach(scalar);
                        break;
                    case MappingStart m:
                        if (!Push(new ConfigMapping(at), m.Anchor)) return roots;
                        break;
                    case SequenceStart q:
                        if (!Push(new ConfigSequence(at), q.Anchor)) return roots;
                        break;
                    case MappingEnd or SequenceEnd:
                        Close(stack.Pop(), complete: true);
                        break;
                    case AnchorAlias alias:
                        if (anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            Attach(target);
                        }
                        else
                        {
                            Error(at, $"alias '*{alias.Value.Value}' refers to no anchor defined before it");
                            Attach(new ConfigScalar(at, "", ScalarStyle.Plain, null) { IsPlaceholder = true });
                        }
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            var at = ex.Start.Line > 0 ? new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column) : last;
            Error(at, "YAML syntax error: " + Lower(ex.Message.TrimEnd('.')));
            CloseAll();
        }
        catch (Exception)
        {
            // YamlDotNet occasionally fails with a non-YAML exception on truncated flow collections.
            Error(last, "YAML syntax error: cannot parse past this point (is a '[', '{' or quote left unclosed?)");
            CloseAll();
        }
        return roots;

        bool Push(ConfigNode node, AnchorName anchor)
        {
            if (stack.Count >= MaxDepth)
            {
                Error(node.Location, $"nesting deeper than {MaxDepth} levels");
                CloseAll();
                return false;
            }
            stack.Push(new Frame(node) { Anchor = anchor.IsEmpty ? null : anchor.Value });
            return true;
        }

        void CloseAll()
        {
            while (stack.Count > 0) Close(stack.Pop(), complete: false);
        }
    }

    private static void ApplyMerges(ConfigMapping mapping, List<ConfigNode>? merges, Action<SourceLocation, string> error)
    {
        if (merges is null) return;
        // YAML merge keys: explicit keys win, earlier merge sources win over later ones.
        foreach (var source in merges)
        {
            var sources = source is ConfigSequence list ? list.Items : [source];
            foreach (var item in sources)
            {
                if (item is ConfigMapping m)
                {
                    foreach (var entry in m.Entries) mapping.TryAdd(entry.Key, entry.Value);
                }
                else
                {
                    error(item.Location, $"a merge key '<<' needs a mapping or a list of mappings, got {item.Describe()}");
                }
            }
        }
    }

    private static string? RawText(string text, ParsingEvent e)
    {
        if (e.Start.Line != e.End.Line) return null;
        var start = (int)e.Start.Index;
        var end = (int)e.End.Index;
        return start >= 0 && end <= text.Length && end >= start ? text[start..end] : null;
    }

    private static ScalarStyle Style(YamlDotNet.Core.ScalarStyle style) => style switch
    {
        YamlDotNet.Core.ScalarStyle.SingleQuoted => ScalarStyle.SingleQuoted,
        YamlDotNet.Core.ScalarStyle.DoubleQuoted => ScalarStyle.DoubleQuoted,
        YamlDotNet.Core.ScalarStyle.Literal => ScalarStyle.Literal,
        YamlDotNet.Core.ScalarStyle.Folded => ScalarStyle.Folded,
        _ => ScalarStyle.Plain,
    };

    private static string? Tag(TagName tag) => tag.IsEmpty || tag.IsNonSpecific ? null : tag.Value;

    private static string Lower(string message) =>
        message.Length > 1 && char.IsUpper(message[0]) && char.IsLower(message[1])
            ? char.ToLowerInvariant(message[0]) + message[1..]
            : message;
}
