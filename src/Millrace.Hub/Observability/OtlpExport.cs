using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Millrace.Hub.Observability;

/// <summary>
/// OTLP export of the hub's traces and metrics, switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// variable (the exporter reads the rest of the OTEL_* settings itself).
/// </summary>
public sealed class OtlpExport : IDisposable
{
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;

    private OtlpExport(TracerProvider tracing, MeterProvider metrics)
    {
        _tracing = tracing;
        _metrics = metrics;
    }

    /// <summary>Starts exporting when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; null otherwise.</summary>
    public static OtlpExport? StartIfConfigured()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))) return null;
        var resource = ResourceBuilder.CreateDefault().AddService("millrace");
        var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource("Millrace.*").AddOtlpExporter().Build();
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter("Millrace.*").AddOtlpExporter().Build();
        return new OtlpExport(tracing, metrics);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _tracing.Dispose();
        _metrics.Dispose();
    }
}
