using System.Threading.Channels;

namespace Millrace.Log.Sqlite;

/// <summary>
/// Runs the log's blocking loops (group commit, WAL fsync, WAL checkpoint) on threads of their own. On the thread pool
/// each commit, fsync or checkpoint held a pool thread for milliseconds; under ingest load the pool then injected
/// threads (3 grew to 10) and every other stage of the hub (HTTP requests, shards, the emitter) queued behind the
/// blocked workers, which showed as tail latency in every stage. A dedicated thread blocks only itself.
/// </summary>
internal static class DedicatedThread
{
    /// <summary>Starts <paramref name="loop"/> on a new background thread; the task completes (or faults) with it.</summary>
    public static Task Start(string name, Action loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop();
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Blocks until <paramref name="reader"/> has an item (true) or is completed (false).</summary>
    public static bool WaitToRead<T>(ChannelReader<T> reader)
    {
        var ready = reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.GetAwaiter().GetResult() : ready.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Blocks until <paramref name="reader"/> has an item, is completed, or <paramref name="timeout"/> passes.</summary>
    /// <returns>True when an item is ready; false on completion or timeout.</returns>
    public static bool WaitToRead<T>(ChannelReader<T> reader, TimeSpan timeout)
    {
        var ready = reader.WaitToReadAsync();
        if (ready.IsCompleted) return ready.GetAwaiter().GetResult();
        var task = ready.AsTask();
        return task.Wait(timeout) && task.Result;
    }

    /// <summary>Blocks until <paramref name="pending"/> completes (rethrowing its failure).</summary>
    public static void Wait(ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully) return;
        pending.AsTask().GetAwaiter().GetResult();
    }
}
