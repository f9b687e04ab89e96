using System.Text;
using System.Text.Json.Nodes;
using Millrace.Core.Events;

namespace Millrace.Core.Tests.Events;

/// <summary>The examples of the CloudEvents 1.0 JSON format specification (§3.2, §4.3) round-trip.</summary>
public class CloudEventJsonFormatTests
{
    private const string StringData = """
        {
            "specversion" : "1.0",
            "type" : "com.example.someevent",
            "source" : "/mycontext",
            "id" : "A234-1234-1234",
            "time" : "2018-04-05T17:31:00Z",
            "comexampleextension1" : "value",
            "comexampleothervalue" : 5,
            "unsetextension": null,
            "datacontenttype" : "text/xml",
            "data" : "<much wow=\"xml\"/>"
        }
        """;

    private const string BinaryData = """
        {
            "specversion" : "1.0",
            "type" : "com.example.someevent",
            "source" : "/mycontext",
            "id" : "B234-1234-1234",
            "time" : "2018-04-05T17:31:00Z",
            "comexampleextension1" : "value",
            "comexampleothervalue" : 5,
            "datacontenttype" : "application/vnd.apache.thrift.binary",
            "data_base64" : "3q2+7w=="
        }
        """;

    private const string JsonData = """
        {
            "specversion" : "1.0",
            "type" : "com.example.someevent",
            "source" : "/mycontext",
            "subject": null,
            "id" : "C234-1234-1234",
            "time" : "2018-04-05T17:31:00Z",
            "comexampleextension1" : "value",
            "comexampleothervalue" : 5,
            "datacontenttype" : "application/json",
            "data" : {
                "appinfoA" : "abc",
                "appinfoB" : 123,
                "appinfoC" : true
            }
        }
        """;

    public static TheoryData<string> SpecExamples => new() { StringData, BinaryData, JsonData };

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Spec_example_round_trips_to_the_same_json_without_null_members(string example)
    {
        var parsed = CloudEventJsonReader.Parse(Encoding.UTF8.GetBytes(example));
        var written = CloudEventJsonWriter.Serialize(parsed);

        var expected = WithoutNulls(JsonNode.Parse(example)!);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(written)),
            $"expected {expected.ToJsonString()}\nactual   {Encoding.UTF8.GetString(written)}");
        Assert.Equal(parsed, CloudEventJsonReader.Parse(written));
    }

    [Fact]
    public void Spec_example_attributes_are_typed_per_the_type_system_mapping()
    {
        var e = CloudEventJsonReader.Parse(Encoding.UTF8.GetBytes(JsonData));
        Assert.Equal("C234-1234-1234", e.Id);
        Assert.Null(e.Subject);
        Assert.Equal(new DateTimeOffset(2018, 4, 5, 17, 31, 0, TimeSpan.Zero), e.Time);
        Assert.Equal(5, e.Extensions["comexampleothervalue"]);
        Assert.Equal("value", e.Extensions["comexampleextension1"]);
        Assert.Equal(CloudEventDataKind.Json, e.DataKind);
        Assert.Equal(123, JsonNode.Parse(e.Data.Span)!["appinfoB"]!.GetValue<int>());
    }

    [Fact]
    public void Binary_data_is_decoded_from_data_base64()
    {
        var e = CloudEventJsonReader.Parse(Encoding.UTF8.GetBytes(BinaryData));
        Assert.Equal(CloudEventDataKind.Binary, e.DataKind);
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, e.Data.ToArray());
    }

    [Fact]
    public void Spec_batch_example_round_trips()
    {
        string batch = $"[{BinaryData.Replace("/mycontext", "/mycontext/4")},{JsonData.Replace("/mycontext", "/mycontext/9")}]";
        var events = new List<CloudEvent>();
        var errors = new List<CloudEventError>();
        Assert.True(CloudEventJsonReader.TryParseBatch(Encoding.UTF8.GetBytes(batch), events, errors), string.Join("; ", errors));
        Assert.Equal(["/mycontext/4", "/mycontext/9"], events.Select(e => e.Source));
        var written = CloudEventJsonWriter.SerializeBatch(events);
        Assert.True(JsonNode.DeepEquals(WithoutNulls(JsonNode.Parse(batch)!), JsonNode.Parse(written)));
    }

    [Fact]
    public void Empty_batch_is_valid()
    {
        var events = new List<CloudEvent>();
        Assert.True(CloudEventJsonReader.TryParseBatch("[]"u8, events, []));
        Assert.Empty(events);
        Assert.Equal("[]", Encoding.UTF8.GetString(CloudEventJsonWriter.SerializeBatch(events)));
    }

    [Fact]
    public void Millrace_extensions_traceparent_partitionkey_and_plant_round_trip()
    {
        var e = new CloudEvent
        {
            Id = "evt-1", Source = "/acme/plant-03/line-2", Type = "com.acme.production.completed.v1",
            Subject = "plant-03/line-2/cnc-07", Time = new DateTimeOffset(2026, 11, 22, 10, 0, 0, 125, TimeSpan.Zero),
            DataContentType = "application/json", DataSchema = "https://millrace.dev/schemas/production.completed/1",
            TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            PartitionKey = "plant-03/line-2/cnc-07", Plant = "plant-03",
            DataKind = CloudEventDataKind.Json, Data = """{"good":42,"unit":"pcs"}"""u8.ToArray(),
        };
        var back = CloudEventJsonReader.Parse(CloudEventJsonWriter.Serialize(e));
        Assert.Equal(e.TraceParent, back.TraceParent);
        Assert.Equal(e.PartitionKey, back.PartitionKey);
        Assert.Equal("plant-03", back.Plant);
        Assert.Equal(e.Time, back.Time);
        Assert.Equal(e.Data.ToArray(), back.Data.ToArray());
        Assert.Empty(back.Extensions);
    }

    private static JsonNode WithoutNulls(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList()) o.Remove(key);
                foreach (var (_, v) in o) WithoutNulls(v!);
                break;
            case JsonArray a:
                foreach (var v in a) WithoutNulls(v!);
                break;
        }
        return node;
    }
}
