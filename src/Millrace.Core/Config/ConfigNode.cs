namespace Millrace.Core.Config;

/// <summary>
/// A node of a parsed configuration file. Millrace builds its own small tree from YamlDotNet's parser events
/// (rather than YamlDotNet's RepresentationModel) so that duplicate keys, unknown anchors and syntax errors are
/// reported with positions while everything before the error is still checked.
/// </summary>
public abstract class ConfigNode
{
    private protected ConfigNode(SourceLocation location) => Location = location;

    /// <summary>Where the node starts.</summary>
    public SourceLocation Location { get; }

    /// <summary>What this node is, for messages: "a string", "a number", "a list", "a mapping", "nothing".</summary>
    public abstract string Describe();
}
