using System.Threading.Tasks.Sources;

namespace Millrace.Log.Sqlite;

/// <summary>
/// One single-record append. Pooled and completed through <see cref="IValueTaskSource{TResult}"/>, so the
/// one-event-at-a-time path allocates nothing per append in steady state.
/// </summary>
internal sealed class AppendRequest : WriteRequest, IValueTaskSource<LogPosition>
{
    private readonly RequestPool<AppendRequest> _pool;
    private ManualResetValueTaskSourceCore<LogPosition> _core = new() { RunContinuationsAsynchronously = true };
    private LogRecord? _record;
    private LogPosition _position;

    public AppendRequest(RequestPool<AppendRequest> pool) => _pool = pool;

    public override int RecordCount => 1;

    public ValueTask<LogPosition> AsValueTask() => new(this, _core.Version);

    public void Prepare(LogRecord record) => _record = record;

    public override void Write(LogWriter writer) => _position = writer.Append(_record!);

    public override void Complete()
    {
        _record = null;
        _core.SetResult(_position);
    }

    public override void Fail(Exception error)
    {
        _record = null;
        _core.SetException(error);
    }

    /// <summary>Returns a request that was never queued.</summary>
    public void Abandon()
    {
        _record = null;
        _core.Reset();
        _pool.Return(this);
    }

    LogPosition IValueTaskSource<LogPosition>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _pool.Return(this);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<LogPosition>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<LogPosition>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
