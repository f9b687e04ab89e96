namespace Millrace.Log.Sqlite;

/// <summary>Counters of the SQLite log since it was opened; for diagnostics and to observe group commit.</summary>
/// <param name="AppendedRecords">Records committed.</param>
/// <param name="Transactions">Write transactions committed (group commits and retention passes).</param>
/// <param name="LargestGroup">Most records committed in one transaction.</param>
/// <param name="RetentionPasses">Retention passes run.</param>
/// <param name="RetentionDeletedRecords">Records deleted by retention.</param>
/// <param name="WalFsyncs">
/// fsyncs of the WAL made before acknowledging (Full mode); one may cover several committed groups. Always 0 in Normal mode.
/// </param>
public sealed record SqliteEventLogStatistics(
    long AppendedRecords,
    long Transactions,
    int LargestGroup,
    long RetentionPasses,
    long RetentionDeletedRecords,
    long WalFsyncs = 0);
