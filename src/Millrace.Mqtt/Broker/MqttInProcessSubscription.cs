using System.Threading.Channels;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// A subscription of code inside the process (see <see cref="MqttBroker.SubscribeInProcess"/>): messages are handed
/// over as <see cref="MqttApplicationMessage"/> objects, without encoding or a socket. A bounded queue decouples the
/// publishers from the handler; the handler runs on one task, in order.
/// </summary>
public sealed class MqttInProcessSubscription : IAsyncDisposable
{
    private readonly MqttBroker _broker;
    private readonly Func<MqttApplicationMessage, CancellationToken, ValueTask> _handler;
    private readonly Channel<MqttApplicationMessage> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly Subscriber _subscriber;

    internal MqttInProcessSubscription(MqttBroker broker, string filter, Func<MqttApplicationMessage, CancellationToken, ValueTask> handler, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _broker = broker;
        Filter = filter;
        _handler = handler;
        _queue = Channel.CreateBounded<MqttApplicationMessage>(new BoundedChannelOptions(capacity)
            { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _subscriber = new Subscriber(this);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The Topic Filter.</summary>
    public string Filter { get; }

    /// <summary>Messages handled so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);
    private long _delivered;

    /// <summary>Handler failures so far (the message is then skipped; the error is reported on <see cref="MqttBroker.Error"/>).</summary>
    public long Failures => Interlocked.Read(ref _failures);
    private long _failures;

    internal MqttSubscriber AsSubscriber => _subscriber;

    internal bool Deliver(in MqttDelivery delivery) => _subscriber.Deliver(delivery);

    private async Task PumpAsync()
    {
        var token = _stop.Token;
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await _handler(message, token).ConfigureAwait(false);
                    Interlocked.Increment(ref _delivered);
                    _broker.Metrics.Sent(1);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref _failures);
                    _broker.ReportError($"in-process subscriber '{Filter}': {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Unsubscribes; messages still queued are handled first (bounded by 5 s).</summary>
    public async ValueTask DisposeAsync()
    {
        _broker.RemoveInProcess(this);
        _queue.Writer.TryComplete();
        if (await Task.WhenAny(_pump, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false) != _pump) _stop.Cancel();
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed class Subscriber(MqttInProcessSubscription owner) : MqttSubscriber
    {
        public override bool IsOnline => true;

        public override bool Deliver(in MqttDelivery delivery)
        {
            if (owner._queue.Writer.TryWrite(delivery.Message)) return true;
            owner._broker.Metrics.Drop("queue_full");
            return false;
        }
    }
}
