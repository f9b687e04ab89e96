namespace Millrace.Mqtt.Client;

/// <summary>
/// Counts outbound QoS 1/2 publications awaiting acknowledgement and makes publishers wait while the window is full.
/// The limit can change per connection (the server's Receive Maximum); waiters are served first come, first served.
/// </summary>
internal sealed class MqttInflightWindow(int limit)
{
    private readonly object _sync = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private int _limit = limit;
    private int _count;

    public int Count { get { lock (_sync) return _count; } }

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_sync)
        {
            if (_count < _limit && _waiters.Count == 0)
            {
                _count++;
                return ValueTask.CompletedTask;
            }
            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        return new ValueTask(WaitSlowAsync(node, cancellationToken));
    }

    private async Task WaitSlowAsync(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_sync)
            {
                if (node.List is null) return; // already granted
                _waiters.Remove(node);
            }
            node.Value.TrySetCanceled(cancellationToken);
        }).ConfigureAwait(false);
        await node.Value.Task.ConfigureAwait(false);
    }

    public void Release()
    {
        lock (_sync)
        {
            _count--;
            GrantLocked();
        }
    }

    public void SetLimit(int limit)
    {
        lock (_sync)
        {
            _limit = limit;
            GrantLocked();
        }
    }

    private void GrantLocked()
    {
        while (_count < _limit && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            _count++;
            first.Value.TrySetResult();
        }
    }
}
