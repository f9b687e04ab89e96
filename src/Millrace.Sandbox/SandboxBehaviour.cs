namespace Millrace.Sandbox;

/// <summary>
/// How one sandbox system misbehaves, switchable at run time (<c>POST /_sandbox/{system}/behaviour</c>) so tests and the
/// demo can show what the hub does with a slow, throttled, down or refusing enterprise system.
/// </summary>
public sealed record SandboxBehaviour
{
    /// <summary>Fixed delay before every answer, in milliseconds.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Extra random delay (0 to this many milliseconds, seeded) added to <see cref="LatencyMs"/>.</summary>
    public int JitterMs { get; init; }

    /// <summary>Requests per second (per system, in one-second windows) above which it answers 429; null or 0: no throttling.</summary>
    public int? ThrottlePerSecond { get; init; }

    /// <summary>True: the system is in maintenance and answers every request 503 with <see cref="MaintenanceRetryAfterSeconds"/>.</summary>
    public bool Maintenance { get; init; }

    /// <summary>The <c>Retry-After</c> (seconds) of a maintenance 503.</summary>
    public int MaintenanceRetryAfterSeconds { get; init; } = 60;

    /// <summary>Share of requests (0 to 1) answered 500, drawn from a generator seeded with <see cref="Seed"/>.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Seed of the jitter and error draws, so a run is repeatable.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Operations forced to fail permanently, with the status to answer (422 or 400): <c>{"update-schedule": 422}</c>.</summary>
    public IReadOnlyDictionary<string, int> FailOperations { get; init; } = new Dictionary<string, int>();

    /// <summary>Checks the values; returns why they are unusable, or null.</summary>
    public string? Validate()
    {
        if (LatencyMs < 0 || JitterMs < 0) return "latencyMs and jitterMs must be zero or more";
        if (ThrottlePerSecond < 0) return "throttlePerSecond must be zero or more";
        if (MaintenanceRetryAfterSeconds < 1) return "maintenanceRetryAfterSeconds must be at least 1";
        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate)) return "errorRate must be between 0 and 1";
        foreach (var (operation, status) in FailOperations)
            if (status is < 400 or > 499) return $"failOperations['{operation}'] must be a 4xx status, got {status}";
        return null;
    }
}
