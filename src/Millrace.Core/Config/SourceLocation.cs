namespace Millrace.Core.Config;

/// <summary>A position in a configuration file: path relative to the configuration directory, 1-based line and column.</summary>
/// <param name="File">Path relative to the configuration directory, with '/' separators.</param>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file or directory.</param>
/// <param name="Column">1-based column (in characters); 0 when <paramref name="Line"/> is 0.</param>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>The location <c>file:1:1</c>, for problems about a file as a whole.</summary>
    public static SourceLocation StartOf(string file) => new(file, 1, 1);

    /// <summary>The same location moved <paramref name="characters"/> to the right on the same line.</summary>
    public SourceLocation Shift(int characters) => this with { Column = Column + characters };

    /// <summary><c>file:line:col</c>, or just <c>file</c> when there is no line.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
