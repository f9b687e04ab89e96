namespace Millrace.Hub.Simulation;

/// <summary>How the plant simulator behaves.</summary>
public sealed record SimulatorOptions
{
    /// <summary>Samples per second across all assets.</summary>
    public int Rate { get; init; } = 20_000;

    /// <summary>Samples per HTTP request.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Requests in flight at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Seed of the random behaviour, so a run can be repeated.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Share of batches that carry one sample from an asset the enterprise does not know, so the demo shows
    /// dead-lettering at work. 0 turns it off.
    /// </summary>
    public double FaultRate { get; init; } = 0.002;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Rate is < 1 or > 10_000_000) throw new ArgumentException($"rate {Rate} must be between 1 and 10,000,000 samples/s", nameof(Rate));
        if (BatchSize is < 1 or > 100_000) throw new ArgumentException($"batch size {BatchSize} must be between 1 and 100,000", nameof(BatchSize));
        if (Concurrency is < 1 or > 256) throw new ArgumentException($"concurrency {Concurrency} must be between 1 and 256", nameof(Concurrency));
        if (FaultRate is < 0 or > 1) throw new ArgumentException($"fault rate {FaultRate} must be between 0 and 1", nameof(FaultRate));
    }
}
