using System.Text;
using Millrace.Core.Config;
using Millrace.Core.Units;
using Millrace.Hub.Governance;
using Millrace.Hub.Governance.Rules;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Tests;

/// <summary>A real hub on a free loopback port with a temp data folder and a small two-plant catalogue.</summary>
public sealed class HubFixture : IAsyncDisposable
{
    public static readonly TelemetryCatalog Catalog = TelemetryCatalog.Build([
        new CatalogAsset("plant-01/line-1/cnc-01", "plant-01", [
            new CatalogSignal("spindle_vibration", UnitCatalog.Default.Parse("mm/s")),
            new CatalogSignal("spindle_temp", UnitCatalog.Default.Parse("°C")),
            new CatalogSignal("good_count", UnitCatalog.Default.Parse("pcs")),
            new CatalogSignal("state", null, ["running", "idle", "down"]),
        ]),
        new CatalogAsset("plant-02/cold-store/ts-01", "plant-02", [
            new CatalogSignal("temperature", UnitCatalog.Default.Parse("°C")),
        ]),
    ]);

    private HubFixture(HubHost hub, string dir)
    {
        Hub = hub;
        Directory = dir;
        Http = new HttpClient { BaseAddress = hub.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HubHost Hub { get; }
    public HttpClient Http { get; }
    public string Directory { get; }

    /// <summary>The folder holding Millrace.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The governance of samples/acme: the canonical event schemas and the business rules, loaded once.</summary>
    public static (IReadOnlyList<SchemaDefinition> Schemas, BusinessRuleSet Rules) AcmeGovernance => Governance.Value;

    private static readonly Lazy<(IReadOnlyList<SchemaDefinition>, BusinessRuleSet)> Governance = new(() =>
    {
        var result = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(RepositoryRoot, "samples", "acme"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return ([.. result.Config.Get<ConfigCatalog<SchemaDefinition>>()!.All], result.Config.Get<BusinessRuleSet>()!);
    });

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// A hub on the small catalogue, governed by the Acme schemas and business rules (every business event passes the
    /// admission gate, so tests post events valid against the catalogue unless they mean to be refused).
    /// </summary>
    public static async Task<HubFixture> StartAsync(long maxRequestBytes = 16 * 1024 * 1024)
    {
        string dir = Path.Combine(Path.GetTempPath(), "millrace-hub-tests", Guid.NewGuid().ToString("n"));
        var hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0",
            DataDirectory = dir,
            LogPartitions = 4,
            MaxRequestBytes = maxRequestBytes,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, Catalog, schemas: AcmeGovernance.Schemas, businessRules: AcmeGovernance.Rules);
        return new HubFixture(hub, dir);
    }

    public Task<HttpResponseMessage> PostAsync(string path, string body, string contentType = "application/json")
        => Http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Waits (bounded) until the pipeline has processed at least <paramref name="count"/> samples.</summary>
    public async Task WaitProcessedAsync(long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Hub.Pipeline.Processed < count && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(Hub.Pipeline.Processed >= count, $"processed {Hub.Pipeline.Processed} of {count} samples");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Hub.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
