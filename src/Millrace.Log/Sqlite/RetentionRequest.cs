namespace Millrace.Log.Sqlite;

/// <summary>One retention pass; runs alone in its own transaction.</summary>
internal sealed class RetentionRequest : TaskWriteRequest<RetentionResult>
{
    private RetentionResult _result = new(0, 0);

    public override int RecordCount => 0;

    public override bool IsExclusive => true;

    protected override RetentionResult Result => _result;

    public override void Write(LogWriter writer) => _result = writer.ApplyRetention();
}
