namespace Millrace.Log.Sqlite;

/// <summary>A consumer group checkpoint commit; rides along with the appends of the same group commit.</summary>
internal sealed class CheckpointRequest(string group, int partition, long nextOffset) : TaskWriteRequest<bool>
{
    public override int RecordCount => 0;

    protected override bool Result => true;

    public override void Write(LogWriter writer) => writer.SaveCheckpoint(group, partition, nextOffset);
}
