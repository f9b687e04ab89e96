namespace Millrace.Mqtt.Client;

/// <summary>
/// Automatic reconnection after an established connection is lost: exponential backoff with full jitter
/// (each wait is uniformly random between 0 and min(<see cref="MaximumDelay"/>, <see cref="InitialDelay"/> × 2^attempt)),
/// so a fleet of clients does not hammer a recovering broker in lockstep.
/// </summary>
public sealed record MqttReconnectPolicy
{
    /// <summary>Whether to reconnect at all. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Cap of the first wait. Default 100 ms.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest cap of any wait. Default 30 s.</summary>
    public TimeSpan MaximumDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>No reconnection.</summary>
    public static MqttReconnectPolicy Disabled { get; } = new() { Enabled = false };

    /// <summary>
    /// The wait before attempt number <paramref name="attempt"/> (0-based), given a uniform random number in [0, 1).
    /// </summary>
    public TimeSpan GetDelay(int attempt, double random)
    {
        double cap = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        cap = Math.Min(cap, MaximumDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(cap * Math.Clamp(random, 0, 1));
    }

    internal void Validate()
    {
        if (InitialDelay <= TimeSpan.Zero)
            throw new ArgumentException($"Reconnect.InitialDelay must be positive (got {InitialDelay}).", "options");
        if (MaximumDelay < InitialDelay)
            throw new ArgumentException($"Reconnect.MaximumDelay ({MaximumDelay}) must be at least Reconnect.InitialDelay ({InitialDelay}).", "options");
    }
}
