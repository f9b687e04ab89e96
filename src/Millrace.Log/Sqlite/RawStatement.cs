using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Millrace.Log.Sqlite;

/// <summary>
/// A prepared statement used directly through SQLitePCL: binding longs and spans without boxing or copying, so the
/// append and read hot paths allocate nothing per record beyond what the caller's types require.
/// Not thread-safe: owned by one connection user at a time.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        int rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _stmt);
        if (rc != raw.SQLITE_OK)
            throw Error(rc, $"preparing '{sql}'");
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_stmt, index, value));

    public void Bind(int index, string? value)
    {
        if (value is null)
            Check(raw.sqlite3_bind_null(_stmt, index));
        else if (value.Length == 0)
            Check(raw.sqlite3_bind_text(_stmt, index, "")); // an empty span would bind NULL
        else
            Check(raw.sqlite3_bind_text16(_stmt, index, value.AsSpan()));
    }

    public void Bind(int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_stmt, index, 0) : raw.sqlite3_bind_blob(_stmt, index, value));

    /// <summary>Steps once; true when a row is available, false when done.</summary>
    public bool Step()
    {
        int rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        throw Error(rc, "stepping a statement");
    }

    /// <summary>Runs a statement that returns no rows, then resets it.</summary>
    public void Execute()
    {
        try { Step(); }
        finally { Reset(); }
    }

    public void Reset()
    {
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_stmt, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(_stmt, column) == raw.SQLITE_NULL;

    /// <summary>The column's bytes (UTF-8 for text); valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> Bytes(int column) => raw.sqlite3_column_blob(_stmt, column);

    public void Dispose() => _stmt.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw Error(rc, "binding a parameter");
    }

    private SqliteException Error(int rc, string doing) =>
        new($"SQLite error {rc} while {doing}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
}
