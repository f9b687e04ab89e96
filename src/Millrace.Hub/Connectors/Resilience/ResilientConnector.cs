using System.Diagnostics;
using System.Threading.RateLimiting;
using Millrace.Hub.Connectors.Configuration;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Millrace.Hub.Connectors.Resilience;

/// <summary>
/// A connector with its resilience around it, in this order: maintenance window (deferred until it ends: the call is
/// held, not failed) → open circuit (deferred for the rest of the break) → rate limiter (token bucket; waits up to
/// <see cref="ConnectorRateLimit.MaxWait"/>, then deferred) → concurrency limiter (waits its turn) → circuit breaker
/// → per-call timeout (retryable) → the kind's connector. Retryable results and exceptions count as failures for the
/// breaker; permanent ones do not (a refused document says nothing about the target's health). All time comes from
/// the environment's <see cref="TimeProvider"/>.
/// </summary>
public sealed class ResilientConnector : IConnector
{
    private readonly IConnector _inner;
    private readonly ConnectorResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<ConnectorResult> _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly TokenBucketRateLimiter? _rate;
    private readonly SemaphoreSlim _concurrency;
    private readonly ConnectorMetrics? _metrics;
    private long _openUntilTicks; // UTC ticks of the end of the current break
    private long _lastSuccessTicks;
    private long _waiting;
    private long _deferredBacklog;

    /// <summary>Wraps <paramref name="inner"/> with the options of <paramref name="definition"/>.</summary>
    public ResilientConnector(IConnector inner, ConnectorDefinition definition, ConnectorEnvironment environment, ConnectorMetrics? metrics = null)
    {
        _inner = inner;
        _options = definition.Resilience;
        _time = environment.Time;
        _metrics = metrics;
        var breaker = _options.CircuitBreaker;
        _pipeline = new ResiliencePipelineBuilder<ConnectorResult> { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ConnectorResult>
            {
                FailureRatio = breaker.FailureRatio,
                SamplingDuration = breaker.SamplingDuration,
                MinimumThroughput = breaker.MinimumThroughput,
                BreakDuration = breaker.BreakDuration,
                StateProvider = _circuit,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } when args.Context.CancellationToken.IsCancellationRequested => false,
                    { Exception: not null } => true,
                    { Result.Outcome: ConnectorOutcome.Retryable } => true,
                    _ => false,
                }),
                OnOpened = args =>
                {
                    Interlocked.Exchange(ref _openUntilTicks, (_time.GetUtcNow() + args.BreakDuration).UtcTicks);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = _options.Timeout })
            .Build();
        if (_options.RateLimit is { } rate)
        {
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate.Burst,
                TokensPerPeriod = Math.Max(1, (int)Math.Round(rate.PerSecond < 1 ? 1 : rate.PerSecond / 10.0)),
                ReplenishmentPeriod = rate.PerSecond < 1 ? TimeSpan.FromSeconds(1 / rate.PerSecond) : TimeSpan.FromSeconds(Math.Max(1, Math.Round(rate.PerSecond / 10.0)) / rate.PerSecond),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
        _concurrency = new SemaphoreSlim(_options.Concurrency, _options.Concurrency);
        metrics?.Track(this);
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public string Kind => _inner.Kind;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Operations => _inner.Operations;

    /// <summary>The breaker's state now.</summary>
    public CircuitState CircuitState => _circuit.CircuitState;

    /// <summary>Calls waiting on a limiter plus deferred calls not yet followed by a success.</summary>
    public long Held => Interlocked.Read(ref _waiting) + Interlocked.Read(ref _deferredBacklog);

    /// <summary>Seconds since the last success, or null before the first.</summary>
    public double? SecondsSinceLastSuccess
    {
        get
        {
            long ticks = Interlocked.Read(ref _lastSuccessTicks);
            return ticks == 0 ? null : (_time.GetUtcNow().UtcTicks - ticks) / (double)TimeSpan.TicksPerSecond;
        }
    }

    /// <inheritdoc />
    public async ValueTask<ConnectorResult> InvokeAsync(ConnectorCall call, CancellationToken cancellationToken = default)
    {
        if (!_inner.Operations.Contains(call.Operation))
            throw new ArgumentException($"connector '{Name}' has no operation '{call.Operation}' (it has: {string.Join(", ", Operations)})", nameof(call));
        var result = await InvokeCoreAsync(call, cancellationToken).ConfigureAwait(false);
        Record(call.Operation, result);
        return result;
    }

    private async ValueTask<ConnectorResult> InvokeCoreAsync(ConnectorCall call, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (MaintenanceWindow.EndOfWindowAt(_options.MaintenanceWindows, now) is { } end)
            return ConnectorResult.Defer(end - now, $"connector '{Name}' is in a maintenance window until {end:O}");
        if (_circuit.CircuitState is CircuitState.Open or CircuitState.Isolated && OpenRemaining(now) is { } remaining)
            return ConnectorResult.Defer(remaining, $"connector '{Name}': circuit open after repeated failures; next trial in {remaining.TotalSeconds:0.#} s");

        Interlocked.Increment(ref _waiting);
        RateLimitLease? lease = null;
        bool entered = false;
        try
        {
            if (_rate is not null)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(_options.RateLimit!.MaxWait);
                try
                {
                    lease = await _rate.AcquireAsync(1, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return ConnectorResult.Defer(TimeSpan.FromSeconds(1 / _options.RateLimit.PerSecond) + _options.RateLimit.MaxWait,
                        $"connector '{Name}': rate limit of {_options.RateLimit.PerSecond}/s saturated");
                }
            }
            await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            entered = true;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            if (!entered) lease?.Dispose();
        }
        long started = Stopwatch.GetTimestamp();
        try
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                var outcome = await _pipeline.ExecuteOutcomeAsync(
                    static async (ctx, state) =>
                    {
                        try
                        {
                            return Outcome.FromResult(await state.Inner.InvokeAsync(state.Call, ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext));
                        }
                        catch (Exception e)
                        {
                            return Outcome.FromException<ConnectorResult>(e);
                        }
                    }, context, (Inner: _inner, Call: call)).ConfigureAwait(false);
                if (outcome.Exception is { } exception) return FromException(exception, call, cancellationToken);
                _metrics?.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new("connector", Name), new("operation", call.Operation));
                return outcome.Result!;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
        finally
        {
            _concurrency.Release();
            lease?.Dispose();
        }
    }

    private ConnectorResult FromException(Exception exception, ConnectorCall call, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
                return null!;
            case ArgumentException:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
                return null!;
            case BrokenCircuitException broken:
                var remaining = broken.RetryAfter ?? OpenRemaining(_time.GetUtcNow()) ?? _options.CircuitBreaker.BreakDuration;
                return ConnectorResult.Defer(remaining, $"connector '{Name}': circuit open after repeated failures; next trial in {remaining.TotalSeconds:0.#} s");
            case TimeoutRejectedException:
                return new ConnectorResult(ConnectorOutcome.Retryable, Reason: $"{Name}.{call.Operation}: no answer within {_options.Timeout.TotalSeconds:0.###} s (timeout)");
            default:
                // a kind's connector must not throw for what the target does; if it does, the call may still work next time
                return new ConnectorResult(ConnectorOutcome.Retryable, Reason: $"{Name}.{call.Operation}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private TimeSpan? OpenRemaining(DateTimeOffset now)
    {
        var remaining = new DateTimeOffset(Interlocked.Read(ref _openUntilTicks), TimeSpan.Zero) - now;
        return remaining > TimeSpan.Zero ? remaining : null;
    }

    private void Record(string operation, ConnectorResult result)
    {
        if (result.Outcome == ConnectorOutcome.Succeeded)
        {
            Interlocked.Exchange(ref _lastSuccessTicks, _time.GetUtcNow().UtcTicks);
            Interlocked.Exchange(ref _deferredBacklog, 0);
        }
        else if (result.Outcome == ConnectorOutcome.Deferred) Interlocked.Increment(ref _deferredBacklog);
        _metrics?.Calls.Add(1, new("connector", Name), new("operation", operation), new("outcome", result.Outcome.ToString().ToLowerInvariant()));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _metrics?.Untrack(this);
        _rate?.Dispose();
        _concurrency.Dispose();
        await _inner.DisposeAsync().ConfigureAwait(false);
    }
}
