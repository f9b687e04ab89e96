namespace Millrace.Log;

/// <summary>What one retention pass deleted.</summary>
/// <param name="DeletedRecords">Records deleted over all partitions.</param>
/// <param name="DeletedBytes">Logical bytes freed (see <see cref="LogInfo.RetainedBytes"/>).</param>
public sealed record RetentionResult(long DeletedRecords, long DeletedBytes);
