using System.Buffers;
using System.Text;
using Millrace.Core.Units;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Tests.Sources;

/// <summary>The MQTT payload contract: <see cref="TelemetryBatchReader"/> with the asset taken from the topic.</summary>
public class TopicAssetPayloadReaderTests
{
    private const string Asset = "plant-01/line-1/cnc-01";

    private static (int Count, TelemetrySample[] Samples, List<PayloadError> Errors, List<SampleRejection> Rejections) Read(string json, string contextAsset = Asset)
    {
        var samples = ArrayPool<TelemetrySample>.Shared.Rent(8);
        var errors = new List<PayloadError>();
        var rejections = new List<SampleRejection>();
        int count = TelemetryBatchReader.Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), contextAsset, HubFixture.Catalog,
            UnitCatalog.Default, ref samples, errors, rejections);
        return (count, samples, errors, rejections);
    }

    [Fact]
    public void One_sample_object_without_asset_is_read_for_the_topic_asset_with_unit_conversion()
    {
        var r = Read("""{"signal":"spindle_temp","value":212,"ts":5,"unit":"°F"}""");
        Assert.Empty(r.Errors);
        Assert.Equal(1, r.Count);
        Assert.True(HubFixture.Catalog.TryFindAsset(Asset, out int asset));
        Assert.Equal(asset, r.Samples[0].Asset);
        Assert.Equal(100, r.Samples[0].Value, 6);
    }

    [Fact]
    public void An_array_takes_state_names_and_the_asset_member_when_it_matches()
    {
        var r = Read($$"""[{"signal":"state","value":"idle","ts":1},{"asset":"{{Asset}}","signal":"good_count","value":3,"ts":2}]""");
        Assert.Empty(r.Errors);
        Assert.Equal(2, r.Count);
        Assert.Equal(1, r.Samples[0].Value); // index of "idle"
    }

    [Theory]
    [InlineData("""{"signal":"good_count","value":1,"ts":1} {}""", "")]
    [InlineData("""{"signal":"good_count","value":1,"ts":1,"site":"x"}""", "/site")]
    [InlineData("""{"asset":"plant-02/cold-store/ts-01","signal":"good_count","value":1,"ts":1}""", "/asset")]
    [InlineData("""[{"signal":"good_count","ts":1}]""", "/0/value")]
    [InlineData("42", "")]
    public void Malformed_payloads_are_refused_whole_with_a_pointer(string json, string pointer)
    {
        var r = Read(json);
        Assert.Equal(0, r.Count);
        Assert.Contains(r.Errors, e => e.Pointer == pointer);
    }

    [Fact]
    public void Without_a_context_asset_a_single_object_is_still_refused_as_before()
    {
        var r = Read("""{"signal":"good_count","value":1,"ts":1}""", contextAsset: "");
        Assert.Equal(0, r.Count);
        Assert.Equal("telemetry must be a JSON array of samples", Assert.Single(r.Errors).Reason);
    }

    [Fact]
    public void An_unknown_signal_is_a_sample_rejection_with_its_raw_json()
    {
        var r = Read("""[{"signal":"nope","value":1,"ts":1},{"signal":"good_count","value":2,"ts":1}]""");
        Assert.Empty(r.Errors);
        Assert.Equal(1, r.Count);
        var rejection = Assert.Single(r.Rejections);
        Assert.Equal("/0/signal", rejection.Pointer);
        Assert.Equal("""{"signal":"nope","value":1,"ts":1}""", Encoding.UTF8.GetString(rejection.Raw.Span));
    }
}
