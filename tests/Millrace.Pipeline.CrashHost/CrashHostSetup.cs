using Millrace.Core.Units;
using Millrace.Hub.Governance;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Pipeline.CrashHost;

/// <summary>The small plant the crash test feeds: two lines of two machines, each with a cumulative good counter.</summary>
public static class CrashHostSetup
{
    public static readonly string[] Lines = ["plant-01/line-1", "plant-01/line-2"];

    public static readonly TelemetryCatalog Catalog = TelemetryCatalog.Build([
        .. Lines.SelectMany(line => new[] { "m-01", "m-02" }.Select(m =>
            new CatalogAsset($"{line}/{m}", "plant-01", [new CatalogSignal("good_count", UnitCatalog.Default.Parse("pcs"))]))),
    ]);

    public static HubOptions Options(string dataDirectory) => new()
    {
        Url = "http://127.0.0.1:0",
        DataDirectory = dataDirectory,
        LogPartitions = 4,
        TelemetryShards = 2,
        LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
    };

    /// <summary>
    /// Starts a hub over <paramref name="dataDirectory"/> running <paramref name="processing"/>. Every business event
    /// passes the governance gate, so the two types this plant uses are registered first, with schemas that only ask for
    /// an object: the test engine's facts and the test's order releases are about counting, not about the Acme shapes.
    /// </summary>
    public static Task<HubHost> StartHubAsync(string dataDirectory, HubProcessing processing)
    {
        Directory.CreateDirectory(dataDirectory);
        using (var registry = SchemaRegistry.OpenInDataDirectory(dataDirectory))
        {
            registry.Register(CounterQuantityEngine.EventType, """{"type":"object"}""");
            registry.Register(OrderReleasedType, """{"type":"object"}""");
        }
        return HubHost.StartAsync(Options(dataDirectory), Catalog, processing: processing);
    }

    /// <summary>The order-release type that moves the order context.</summary>
    public const string OrderReleasedType = "com.acme.production.order.released.v1";

    public static HubProcessing Processing(ProcessingOptions? options = null) =>
        new(null, setup => new CounterQuantityEngine(Catalog, setup.Context))
        {
            Options = options ?? new ProcessingOptions { CheckpointInterval = TimeSpan.FromMilliseconds(250), TickInterval = TimeSpan.FromMilliseconds(100) },
        };
}
