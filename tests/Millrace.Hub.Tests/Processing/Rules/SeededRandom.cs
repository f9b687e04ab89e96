namespace Millrace.Hub.Tests.Processing.Rules;

/// <summary>
/// A small deterministic generator (xorshift64*) for property tests: the same seed gives the same stream on every
/// runtime, so a failing seed printed by a test reproduces exactly.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL;

    public ulong NextULong()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>A whole number in [min, max).</summary>
    public int Next(int min, int max) => min + (int)(NextULong() % (ulong)(max - min));

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;
}
