namespace Millrace.Core.Config;

/// <summary>A YAML sequence (list).</summary>
public sealed class ConfigSequence : ConfigNode
{
    internal ConfigSequence(SourceLocation location) : base(location)
    {
    }

    internal List<ConfigNode> ItemList { get; } = [];

    /// <summary>The items in order.</summary>
    public IReadOnlyList<ConfigNode> Items => ItemList;

    /// <summary>False when the file ended in a syntax error before the list was closed.</summary>
    public bool IsComplete { get; internal set; }

    /// <inheritdoc />
    public override string Describe() => "a list";
}
