using Millrace.Core.Config;

namespace Millrace.Hub.Tests.Sources;

public class MqttSourceCredentialsTests
{
    [Fact]
    public async Task A_source_whose_credentials_cannot_be_resolved_is_not_started_and_the_hub_runs_on()
    {
        await using var plantBroker = await MqttSourceFixture.StartAsync();
        var source = MqttSourceFixture.Source("locked", $"mqtt://127.0.0.1:{plantBroker.Hub.Broker!.Endpoint!.Port}")
            with { Credentials = new CredentialReference(CredentialStore.Environment, "MILLRACE_TEST_UNSET_" + Guid.NewGuid().ToString("n")) };

        await using var f = await MqttSourceFixture.StartAsync(source);

        Assert.False(f.Hub.MqttSourceCounts.ContainsKey("locked"));
        Assert.Equal(1, plantBroker.Hub.Broker.ConnectionCount); // only the fixture's own publisher
    }

    [Fact]
    public async Task A_file_reference_is_resolved_against_the_config_folder_and_the_source_connects()
    {
        await using var plantBroker = await MqttSourceFixture.StartAsync();
        string secretDir = Path.Combine(Path.GetTempPath(), "millrace-hub-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(secretDir);
        await File.WriteAllTextAsync(Path.Combine(secretDir, "uns.txt"), "hub:s3cret\n");
        var signal = MqttSourceFixture.NumericSignal("plant-01");
        var source = MqttSourceFixture.Source("with-file", $"mqtt://127.0.0.1:{plantBroker.Hub.Broker!.Endpoint!.Port}")
            with { Credentials = new CredentialReference(CredentialStore.File, "uns.txt") };
        try
        {
            await using var f = await MqttSourceFixture.StartAsync(secretDir, source);
            Assert.True(f.Hub.MqttSourceCounts.ContainsKey("with-file"));
            // Retained: delivered whenever the source's SUBSCRIBE lands, so no guess at when that is.
            await plantBroker.PublishRetainedAsync(MqttSourceFixture.TopicOf(signal.Asset), $$"""[{"signal":"{{signal.Name}}","value":3,"ts":3}]""");
            await f.WaitProcessedAsync(1);
        }
        finally
        {
            Directory.Delete(secretDir, recursive: true);
        }
    }
}
