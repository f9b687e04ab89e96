using System.Text;
using Millrace.Core.Config;
using Millrace.Hub.Governance;
using Millrace.Hub.Governance.Rules;
using Millrace.Hub.Hosting;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.IntegrationTests.Cli;

/// <summary><c>millrace dlq</c> through the real binary against a real hub (in this process, on a free port).</summary>
public sealed class DlqCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-dlq-cli", Guid.NewGuid().ToString("n"));
    private HubHost _hub = null!;
    private string Url => _hub.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        var loaded = new ConfigLoader(GovernanceConfig.Sections()).LoadDirectory(Path.Combine(MillraceProcess.RepositoryRoot, "samples", "acme"));
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        _hub = await HubHost.StartAsync(new HubOptions { Url = "http://127.0.0.1:0", DataDirectory = _dir, LogPartitions = 2, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning },
            TelemetryCatalog.From(loaded.Config.Model), schemas: loaded.Config.Get<ConfigCatalog<SchemaDefinition>>()!.All,
            businessRules: loaded.Config.Get<BusinessRuleSet>());
    }

    [Fact]
    public async Task Discard_with_a_reason_then_list_all_shows_it_discarded_and_dead_letters_are_listed_apart()
    {
        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        var unknownType = """{"specversion":"1.0","id":"x-1","source":"/acme/test","type":"com.acme.nothing.v1","data":{}}""";
        Assert.Equal(422, (int)(await http.PostAsync("/ingest/events", new StringContent(unknownType, Encoding.UTF8, "application/cloudevents+json"))).StatusCode);
        await http.PostAsync("/ingest/events", new StringContent("garbage", Encoding.UTF8, "application/json"));
        long id = (await _hub.Quarantine.ListAsync(new())).Single().Id;

        var list = await MillraceProcess.RunAsync(Timeout, "dlq", "list", "--url", Url, "--reason", "unknown-type");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("com.acme.nothing.v1  x-1  unknown-type: /type: event type 'com.acme.nothing.v1' has no subject in the schema registry", list.Stdout);

        var noReason = await MillraceProcess.RunAsync(Timeout, "dlq", "discard", id.ToString(), "--url", Url);
        Assert.Equal(1, noReason.ExitCode); // System.CommandLine: --reason is required
        var discard = await MillraceProcess.RunAsync(Timeout, "dlq", "discard", id.ToString(), "--url", Url, "--reason", "test traffic", "--by", "ops");
        Assert.True(discard.ExitCode == 0, discard.Stdout + discard.Stderr);
        Assert.DoesNotContain("x-1", (await MillraceProcess.RunAsync(Timeout, "dlq", "list", "--url", Url)).Stdout); // open items only
        var all = await MillraceProcess.RunAsync(Timeout, "dlq", "list", "--url", Url, "--status", "all");
        Assert.Contains("discarded", all.Stdout);
        var again = await MillraceProcess.RunAsync(Timeout, "dlq", "resubmit", id.ToString(), "--url", Url);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"quarantined event {id} is discarded (test traffic)", again.Stdout);

        var letters = await MillraceProcess.RunAsync(Timeout, "dlq", "list", "--dead-letters", "--url", Url);
        Assert.Contains("http:/ingest/events  malformed JSON", letters.Stdout);
    }

    [Fact]
    public async Task An_unreachable_hub_is_one_clear_line_and_exit_2()
    {
        var (code, _, stderr) = await MillraceProcess.RunAsync(Timeout, "dlq", "list", "--url", $"http://127.0.0.1:{MillraceProcess.FreePort()}");
        Assert.Equal(2, code);
        Assert.Contains("cannot reach the hub", stderr);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
