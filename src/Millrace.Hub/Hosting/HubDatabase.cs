using Microsoft.Data.Sqlite;

namespace Millrace.Hub.Hosting;

/// <summary>
/// Connections to the data folder's <c>hub.db</c>, which several stores share (dead letters, quarantine, rule
/// checkpoints, broker sessions), each on its own connection. One opener so they all agree on the settings that make
/// sharing safe: WAL (readers never block the writer), <c>synchronous=FULL</c> (a store call that completed is on
/// disk, which is what "kept" promises), and a busy timeout long enough that one store's commit never fails another's.
/// </summary>
public static class HubDatabase
{
    /// <summary>The file name in the data folder.</summary>
    public const string FileName = "hub.db";

    /// <summary>How long a statement waits for another connection's write lock before it fails.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Opens a connection to <paramref name="path"/> (creating the file and its folder if needed) with the shared
    /// settings applied, then runs <paramref name="schema"/> (the store's <c>CREATE TABLE IF NOT EXISTS …</c>).
    /// </summary>
    public static SqliteConnection Open(string path, string schema)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Pooling = false, DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString());
        try
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"""
                PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds};
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                {schema}
                """;
            cmd.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
