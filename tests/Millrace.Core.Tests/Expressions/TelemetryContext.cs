using System.Linq.Expressions;
using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>A telemetry sample as a rules engine would hand it to a compiled condition: a plain struct.</summary>
public struct TelemetrySample
{
    public double Value;
    public int Quality;
    public string? Status;
    public DateTimeOffset Timestamp;
    public double Ambient;
    public double[] Signals;
    public TimeSpan Window;
    public long? Count;
}

/// <summary>A clock the test sets (now() reads only the injected TimeProvider).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The scope and helpers the specifications share.</summary>
internal static class Telemetry
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    public static readonly FixedClock Clock = new(Noon);
    public static readonly ExpressionOptions Options = new() { TimeProvider = Clock };

    public static ExpressionScope<TelemetrySample> Scope() => ExpressionScope.For<TelemetrySample>()
        .Field("value", s => s.Value)
        .Field("quality", s => s.Quality)
        .Field("status", s => s.Status)
        .Field("ts", s => s.Timestamp)
        .Field("ambient", s => s.Ambient)
        .Field("window", s => s.Window)
        .Field("count", s => s.Count)
        // Signals bound by position, as the rules engine binds signal.<name> to the asset's signal array.
        .Field("signal.spindle_temp", ctx => Expression.ArrayIndex(Expression.Field(ctx, nameof(TelemetrySample.Signals)), Expression.Constant(0)))
        .Field("signal.feed_rate", ctx => Expression.ArrayIndex(Expression.Field(ctx, nameof(TelemetrySample.Signals)), Expression.Constant(1)))
        .Constant("limit", 7.1);

    public static TelemetrySample Sample(double value = 7.5, int quality = 0, string? status = "good") => new()
    {
        Value = value,
        Quality = quality,
        Status = status,
        Timestamp = Noon.AddMinutes(-10),
        Ambient = 21.5,
        Signals = [45.0, 1200.0],
        Window = TimeSpan.FromMinutes(5),
        Count = 3,
    };

    public static bool Condition(string text, TelemetrySample? sample = null) =>
        ExpressionCompiler.CompilePredicate(text, Scope(), Options)(sample ?? Sample());

    public static double Number(string text, TelemetrySample? sample = null) =>
        ExpressionCompiler.CompileNumber(text, Scope(), Options)(sample ?? Sample());

    public static object? Value(string text, TelemetrySample? sample = null) =>
        ExpressionCompiler.CompileValue(text, Scope(), Options)(sample ?? Sample());

    public static string? Text(string text, TelemetrySample? sample = null) =>
        ExpressionCompiler.CompileString(text, Scope(), Options)(sample ?? Sample());

    /// <summary>The error compiling <paramref name="text"/> as a value expression.</summary>
    public static ExpressionException Error(string text) =>
        Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileValue(text, Scope(), Options));
}
