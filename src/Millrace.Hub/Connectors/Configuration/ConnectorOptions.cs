namespace Millrace.Hub.Connectors.Configuration;

/// <summary>Token bucket in front of a connector: sustained <paramref name="PerSecond"/> calls, bursts of <paramref name="Burst"/>.</summary>
public sealed record ConnectorRateLimit(double PerSecond, int Burst)
{
    /// <summary>How long a call may wait for a token before it is deferred instead.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>Retry defaults for workflow steps calling this connector (the connector itself does not retry: the step does, durably).</summary>
public sealed record ConnectorRetryOptions
{
    /// <summary>Attempts in all, the first included (default 5).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Delay before the second attempt; doubled for each further one, with jitter (default 1 s).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of one delay (default 5 min).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>Circuit breaker over a connector's calls (Polly's advanced breaker): opens when the share of failed
/// calls within <see cref="SamplingDuration"/> reaches <see cref="FailureRatio"/> over at least
/// <see cref="MinimumThroughput"/> calls, and stays open for <see cref="BreakDuration"/>.</summary>
public sealed record ConnectorCircuitBreaker
{
    /// <summary>Share of failures (0–1] that opens the circuit (default 0.5).</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>The window failures are counted in (default 30 s).</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls needed in the window before the ratio counts (default 10).</summary>
    public int MinimumThroughput { get; init; } = 10;

    /// <summary>How long the circuit stays open before one trial call (default 30 s).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Per-call timeout, limits, breaker and maintenance windows of one connector.</summary>
public sealed record ConnectorResilienceOptions
{
    /// <summary>Per-call timeout (default 30 s); a call that takes longer is retryable.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Rate limit, or null for none.</summary>
    public ConnectorRateLimit? RateLimit { get; init; }

    /// <summary>Calls in flight at once (default 16); more wait their turn.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Circuit breaker settings.</summary>
    public ConnectorCircuitBreaker CircuitBreaker { get; init; } = new();

    /// <summary>When the target is known to be down: calls then are deferred until the window ends.</summary>
    public IReadOnlyList<MaintenanceWindow> MaintenanceWindows { get; init; } = [];
}
