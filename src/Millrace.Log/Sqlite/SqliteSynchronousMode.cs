namespace Millrace.Log.Sqlite;

/// <summary>
/// How hard the SQLite backend pushes a commit to stable storage before acknowledging it
/// (SQLite's <c>PRAGMA synchronous</c> in WAL mode).
/// </summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// <c>synchronous=FULL</c>: the WAL is fsync'ed on every commit. An acknowledged append survives a process kill
    /// and a power loss or kernel crash. The default.
    /// </summary>
    Full = 0,

    /// <summary>
    /// <c>synchronous=NORMAL</c>: commits are written to the WAL (the OS page cache) but fsync'ed only at checkpoints.
    /// An acknowledged append survives a process kill (<c>kill -9</c>) but the most recent commits may be lost on power
    /// loss or kernel crash (the database stays consistent). Faster when fsync is slow.
    /// </summary>
    Normal = 1,
}
