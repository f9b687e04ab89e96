namespace Millrace.Hub.Tests.Workflows;

/// <summary>
/// A clock for workflow specs. <see cref="Advance"/> moves it and fires due timers. With <see cref="AutoFireBelow"/>
/// set, timers shorter than that fire at once and move the clock (retry backoff and Retry-After delays happen
/// instantly but are recorded in <see cref="Delays"/>); longer ones (per-attempt timeouts) wait for Advance.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ClockTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public TimeSpan? AutoFireBelow { get; init; }

    public List<TimeSpan> Delays { get; } = [];

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public void Advance(TimeSpan by)
    {
        List<ClockTimer> due;
        lock (_lock)
        {
            _now += by;
            due = _timers.Where(t => t.Due <= _now).ToList();
        }
        foreach (var t in due) t.Fire();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ClockTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ClockTimer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) { Due = DateTimeOffset.MaxValue; return true; }
                if (clock.AutoFireBelow is { } limit && dueTime < limit && dueTime > TimeSpan.Zero)
                {
                    clock.Delays.Add(dueTime);
                    clock._now += dueTime;
                    Due = clock._now;
                }
                else
                {
                    Due = clock._now + dueTime;
                }
                clock._timers.Add(this);
                if (Due > clock._now) return true;
            }
            Fire();
            return true;
        }

        public void Fire()
        {
            lock (clock._lock)
            {
                if (!clock._timers.Remove(this)) return;
                Due = DateTimeOffset.MaxValue;
            }
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        }

        public void Dispose()
        {
            lock (clock._lock) clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
