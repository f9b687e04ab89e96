using System.Text;
using Millrace.Core.Events;

namespace Millrace.Core.Tests.Events;

/// <summary>Bad CloudEvents are refused with the exact member and the reason, all problems at once.</summary>
public class CloudEventValidationTests
{
    private static List<CloudEventError> Errors(string json)
    {
        var errors = new List<CloudEventError>();
        Assert.False(CloudEventJsonReader.TryParse(Encoding.UTF8.GetBytes(json), out var ev, errors));
        Assert.Null(ev);
        return errors;
    }

    [Fact]
    public void Every_missing_required_attribute_is_named()
    {
        var errors = Errors("""{"specversion":"1.0","type":"t"}""");
        Assert.Equal(["/id", "/source"], errors.Select(e => e.Pointer).Order());
        Assert.All(errors, e => Assert.Equal("required attribute is missing", e.Reason));
    }

    [Theory]
    [InlineData("""{"specversion":"0.3","id":"1","source":"/s","type":"t"}""", "/specversion", "unsupported specversion")]
    [InlineData("""{"specversion":"1.0","id":"","source":"/s","type":"t"}""", "/id", "must not be empty")]
    [InlineData("""{"specversion":"1.0","id":7,"source":"/s","type":"t"}""", "/id", "expected a string, found a number")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"22/11/2026"}""", "/time", "not an RFC 3339 timestamp")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","dataschema":"schemas/x"}""", "/dataschema", "not an absolute URI")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","traceparent":"00-abc-01"}""", "/traceparent", "not a W3C traceparent")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","Bad_Name":"x"}""", "/Bad_Name", "lower-case")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","ext":{"a":1}}""", "/ext", "string, a boolean or an integer")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","ext":1.5}""", "/ext", "whole number")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","data":1,"data_base64":"AA=="}""", "/data_base64", "mutually exclusive")]
    [InlineData("""{"specversion":"1.0","id":"1","id":"2","source":"/s","type":"t"}""", "/id", "more than once")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","data_base64":"%%%"}""", "/data_base64", "Base64")]
    public void Bad_member_is_reported_with_pointer_and_reason(string json, string pointer, string reason)
    {
        var error = Assert.Single(Errors(json));
        Assert.Equal(pointer, error.Pointer);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Malformed_json_is_refused_not_thrown()
    {
        var error = Assert.Single(Errors("""{"specversion":"1.0","id":"1",""" ));
        Assert.StartsWith("malformed JSON", error.Reason);
    }

    [Fact]
    public void Batch_errors_point_into_the_element_and_valid_elements_are_kept()
    {
        var json = """[{"specversion":"1.0","id":"1","source":"/s","type":"t"},{"specversion":"1.0","id":"2","type":"t","time":"x"}]""";
        var events = new List<CloudEvent>();
        var errors = new List<CloudEventError>();
        Assert.False(CloudEventJsonReader.TryParseBatch(Encoding.UTF8.GetBytes(json), events, errors));
        Assert.Equal("1", Assert.Single(events).Id);
        Assert.Equal(["/1/source", "/1/time"], errors.Select(e => e.Pointer).Order());
    }

    [Fact]
    public void Batch_that_is_not_an_array_is_refused()
    {
        var errors = new List<CloudEventError>();
        Assert.False(CloudEventJsonReader.TryParseBatch("""{"id":"1"}"""u8, [], errors));
        Assert.Contains("JSON array", Assert.Single(errors).Reason);
    }

    [Theory]
    [InlineData("2026-11-22T10:15:30Z", true)]
    [InlineData("2026-11-22t10:15:30.123456789z", true)]
    [InlineData("2026-11-22T10:15:30+05:30", true)]
    [InlineData("2026-02-29T10:15:30Z", false)]
    [InlineData("2026-11-22 10:15:30Z", false)]
    [InlineData("2026-11-22T10:15:30", false)]
    [InlineData("2026-11-22T24:00:00Z", false)]
    [InlineData("2026-11-22T10:15:30.Z", false)]
    public void Rfc3339_timestamps_are_parsed_strictly(string text, bool valid)
    {
        Assert.Equal(valid, Rfc3339.TryParse(text, out _));
    }

    [Fact]
    public void Rfc3339_offset_is_applied()
    {
        Assert.True(Rfc3339.TryParse("2026-11-22T10:15:30+01:00", out var t));
        Assert.Equal(new DateTime(2026, 11, 22, 9, 15, 30, DateTimeKind.Utc), t.UtcDateTime);
    }
}
