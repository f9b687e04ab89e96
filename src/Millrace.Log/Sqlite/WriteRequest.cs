namespace Millrace.Log.Sqlite;

/// <summary>
/// A unit of work for the single writer. Appends and checkpoint commits are grouped into one transaction with their
/// neighbours (group commit); exclusive requests (retention) run in a transaction of their own.
/// </summary>
internal abstract class WriteRequest
{
    /// <summary>Records this request appends; counts towards the group size limit.</summary>
    public abstract int RecordCount { get; }

    /// <summary>True when the request must run alone in its own transaction.</summary>
    public virtual bool IsExclusive => false;

    /// <summary>Does the request's writes inside the currently open transaction.</summary>
    public abstract void Write(LogWriter writer);

    /// <summary>The transaction holding the request committed.</summary>
    public abstract void Complete();

    /// <summary>The transaction holding the request rolled back (or the request could not run).</summary>
    public abstract void Fail(Exception error);
}

/// <summary>A rarely used request completed through an ordinary task (checkpoints, batches, retention).</summary>
internal abstract class TaskWriteRequest<T> : WriteRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    protected abstract T Result { get; }

    public override void Complete() => _completion.TrySetResult(Result);

    public override void Fail(Exception error) => _completion.TrySetException(error);
}
