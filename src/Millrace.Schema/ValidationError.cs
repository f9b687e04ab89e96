namespace Millrace.Schema;

/// <summary>One output unit of the "basic" output format: a failed keyword at an instance location.</summary>
/// <param name="KeywordLocation">JSON pointer of the keyword along the evaluation path (through <c>$ref</c>s).</param>
/// <param name="AbsoluteKeywordLocation">Absolute URI of the keyword after resolving references, when the
/// evaluation path went through a reference or the root schema has an <c>$id</c>; otherwise null.</param>
/// <param name="InstanceLocation">JSON pointer of the instance value that failed.</param>
/// <param name="Message">Human readable reason.</param>
public sealed record ValidationError(
    string KeywordLocation,
    string? AbsoluteKeywordLocation,
    string InstanceLocation,
    string Message);
