using Millrace.Core.Model;
using Millrace.Core.Units;

namespace Millrace.Hub.Simulation;

/// <summary>
/// The physics of one simulated signal: cumulative counters that advance while the machine runs and occasionally
/// reset (shift change, controller restart); spindle vibration with slow degradation episodes; cold-store
/// temperatures with door-open excursions; a running/idle/down state with downtime periods.
/// </summary>
internal sealed class SignalBehaviour
{
    private enum Shape { Counter, Vibration, ColdTemperature, Temperature, State, Gauge, PackWeight }

    // Pack weights (a checkweigher's "weight"): nominal 25 % of the range with a gram-scale spread, and underfill
    // episodes (a clogging nozzle) that pull packs ~60 g light, so a quality rule on spec limits fires now and then.
    private const double PackSpreadShare = 0.0025, UnderfillShare = 0.03, UnderfillStart = 0.001;

    private readonly Shape _shape;
    private readonly bool _isScrap;
    private readonly double _baseline;
    private readonly double _noise;
    private readonly int _downState;
    private readonly int _runningState;
    private double _value;
    private double _episode;      // 0..1 severity of the current degradation or excursion
    private int _episodeTicks;    // ticks left in the current episode
    private int _downTicks;

    /// <param name="signal">The signal.</param>
    /// <param name="inColdStore">Whether the asset watches a storage location (temperatures then follow the store).</param>
    /// <param name="random">The simulation's random source.</param>
    /// <param name="storage">The store's required temperatures: a cold-store reading hovers mid-range, so only
    /// excursions (door-open episodes) leave it and cold-chain rules fire on them, not on every sample.</param>
    public SignalBehaviour(AssetSignal signal, bool inColdStore, Random random, TemperatureRange? storage = null)
    {
        var def = signal.Definition;
        var range = def.Range;
        _shape = def.Kind switch
        {
            SignalKind.Counter => Shape.Counter,
            SignalKind.State => Shape.State,
            _ when def.Unit?.Dimension == Dimension.Velocity || def.Name.Contains("vibration", StringComparison.OrdinalIgnoreCase) => Shape.Vibration,
            _ when def.Unit?.Dimension == Dimension.Temperature && inColdStore => Shape.ColdTemperature,
            _ when def.Unit?.Dimension == Dimension.Temperature => Shape.Temperature,
            _ when def.Unit?.Dimension == Dimension.Mass && def.Name.Contains("weight", StringComparison.OrdinalIgnoreCase) => Shape.PackWeight,
            _ => Shape.Gauge,
        };
        double lo = range?.Min ?? 0, hi = range?.Max ?? 100;
        _baseline = _shape switch
        {
            Shape.Vibration => 1.5 + random.NextDouble() * 1.5,
            Shape.ColdTemperature when storage is not null && def.Unit is not null && storage.Unit.IsConvertibleTo(def.Unit)
                => storage.Unit.ConverterTo(def.Unit).Convert((storage.Min + storage.Max) / 2),
            Shape.ColdTemperature => range is { Min: { } min, Max: { } max } ? (min + max) / 2 : -20,
            Shape.Temperature => range is { Min: { } min, Max: { } max } ? min + (max - min) * 0.4 : 45,
            Shape.PackWeight => NominalPackWeight(lo, hi, random),
            _ => lo + (hi - lo) * (0.3 + random.NextDouble() * 0.4),
        };
        _noise = _shape switch
        {
            Shape.Vibration => 0.15,
            Shape.ColdTemperature => 0.3,
            Shape.Temperature => 0.5,
            Shape.PackWeight => (hi - lo) * PackSpreadShare,
            _ => Math.Max(0.01, (hi - lo) * 0.01),
        };
        // Machines have running/down; other state signals (a cold-store door: closed/open) use first and last state.
        int last = def.States.IsDefaultOrEmpty ? 0 : def.States.Length - 1;
        _downState = IndexOf(def.States, "down", last);
        _runningState = IndexOf(def.States, "running", 0);
        _value = _shape == Shape.Counter ? random.Next(0, 50_000) : _baseline;
        // Rejects are a few per cent of output on a healthy line; counting them like good parts made every
        // production confirmation break the catalogue's scrap-plausibility rule (quarantined, as it should be).
        _isScrap = _shape == Shape.Counter && (def.Name.Contains("scrap", StringComparison.OrdinalIgnoreCase)
                                              || def.Name.Contains("reject", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True while this (state) signal says the machine is down; counters of the asset then stand still.</summary>
    public bool IsDown => _downTicks > 0;

    /// <summary>Advances one tick and returns the value to report.</summary>
    public double Next(Random random, bool assetDown)
    {
        switch (_shape)
        {
            case Shape.Counter:
                if (random.NextDouble() < 0.0002) _value = 0; // reset: the rules must detect it, not count it negative
                else if (!assetDown) _value += _isScrap ? (random.NextDouble() < 0.02 ? 1 : 0) : random.Next(0, 3);
                return _value;
            case Shape.State:
                if (_downTicks > 0) _downTicks--;
                else if (random.NextDouble() < 0.001) _downTicks = random.Next(20, 200);
                return _downTicks > 0 ? _downState : _runningState;
            case Shape.Vibration:
                Episode(random, start: 0.0005, minTicks: 100, maxTicks: 600);
                return Math.Max(0, _baseline + _episode * 9 + Gaussian(random) * _noise);
            case Shape.ColdTemperature:
                Episode(random, start: 0.0003, minTicks: 60, maxTicks: 300);
                return _baseline + _episode * 14 + Gaussian(random) * _noise;
            case Shape.PackWeight:
                return PackWeight(random, span: _noise / PackSpreadShare);
            default:
                _value += (_baseline - _value) * 0.05 + Gaussian(random) * _noise;
                return _value;
        }
    }

    /// <summary>
    /// One pack: nominal + noise − underfill. Uses exactly the two draws a gauge uses (the episode starts on the noise's
    /// uniform draw), so adding this shape did not change the random stream of any other simulated signal.
    /// </summary>
    private double PackWeight(Random random, double span)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        if (_episodeTicks > 0)
        {
            _episodeTicks--;
            _episode = Math.Min(1, _episode + 0.02);
        }
        else
        {
            _episode = Math.Max(0, _episode - 0.05);
            if (u2 < UnderfillStart) _episodeTicks = 60 + (int)(u2 / UnderfillStart * 240); // 60-300 packs
        }
        double gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return _baseline + gaussian * _noise - _episode * span * UnderfillShare;
    }

    /// <summary>A quarter of the range; takes (and ignores) the one draw a gauge's baseline takes, for the same reason.</summary>
    private static double NominalPackWeight(double lo, double hi, Random random)
    {
        _ = random.NextDouble();
        return lo + (hi - lo) * 0.25;
    }

    private void Episode(Random random, double start, int minTicks, int maxTicks)
    {
        if (_episodeTicks > 0)
        {
            _episodeTicks--;
            _episode = Math.Min(1, _episode + 0.02); // degrade gradually, as bearings and open doors do
            return;
        }
        _episode = Math.Max(0, _episode - 0.05);
        if (random.NextDouble() < start) _episodeTicks = random.Next(minTicks, maxTicks);
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static int IndexOf(System.Collections.Immutable.ImmutableArray<string> states, string name, int fallback)
    {
        if (states.IsDefaultOrEmpty) return fallback;
        int i = states.IndexOf(name);
        return i >= 0 ? i : fallback;
    }
}
