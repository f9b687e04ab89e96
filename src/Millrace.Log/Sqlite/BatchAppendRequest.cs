namespace Millrace.Log.Sqlite;

/// <summary>An atomic multi-record append: all records go into the same transaction, in order.</summary>
internal sealed class BatchAppendRequest(IReadOnlyList<LogRecord> records) : TaskWriteRequest<IReadOnlyList<LogPosition>>
{
    private readonly LogPosition[] _positions = new LogPosition[records.Count];

    public override int RecordCount => _positions.Length;

    protected override IReadOnlyList<LogPosition> Result => _positions;

    public override void Write(LogWriter writer)
    {
        for (int i = 0; i < _positions.Length; i++) _positions[i] = writer.Append(records[i]);
    }
}
