using System.Globalization;
using System.Text;
using Millrace.Log;
using Millrace.Log.CrashHost;
using Millrace.Log.Sqlite;

// Usage: Millrace.Log.CrashHost <db-path> <run> [producers] [partitions] [full|normal]
// Appends until killed (or 120 s pass, so an orphan cannot run forever) and prints "ack <partition> <offset> <id> ."
// to stdout after each durable acknowledgement. Half the producers append one record at a time, half in batches of 8.
if (args.Length < 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int run))
{
    Console.Error.WriteLine("usage: Millrace.Log.CrashHost <db-path> <run> [producers] [partitions] [full|normal]");
    return 2;
}

int producers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
int partitions = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16;
var mode = args.Length > 4 && args[4] == "normal" ? SqliteSynchronousMode.Normal : SqliteSynchronousMode.Full;

await using var log = SqliteEventLog.Open(new SqliteEventLogOptions { Path = args[0], PartitionCount = partitions, SynchronousMode = mode });
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
var gate = new Lock();
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));

void Acknowledge(IReadOnlyList<LogPosition> positions, IReadOnlyList<LogRecord> records)
{
    lock (gate)
    {
        for (int i = 0; i < positions.Count; i++) stdout.WriteLine(CrashRecord.AckLine(positions[i], records[i].Id));
        stdout.Flush(); // one write per acknowledgement: what the parent reads was acknowledged before the kill
    }
}

var tasks = Enumerable.Range(0, producers).Select(producer => Task.Run(async () =>
{
    long sequence = 0;
    bool batched = producer % 2 == 1;
    while (!stop.IsCancellationRequested)
    {
        if (batched)
        {
            var batch = new LogRecord[8];
            for (int i = 0; i < batch.Length; i++) batch[i] = CrashRecord.Make(run, producer, sequence++);
            Acknowledge(await log.AppendBatchAsync(batch), batch);
        }
        else
        {
            var record = CrashRecord.Make(run, producer, sequence++);
            Acknowledge([await log.AppendAsync(record)], [record]);
        }
    }
})).ToArray();

try
{
    await Task.WhenAll(tasks);
}
catch (IOException)
{
    return 3; // the parent closed our stdout
}

return 0;
