using System.Text;
using System.Text.Json.Nodes;
using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Governance.Admission;

namespace Millrace.Hub.Tests.Governance.Enforcement;

/// <summary>The admission gate itself, as the rules engine and the MQTT source call it.</summary>
public sealed class EventAdmissionSpecs
{
    private static CloudEvent Parse(JsonObject e) => CloudEventJsonReader.Parse(Encoding.UTF8.GetBytes(e.ToJsonString()));

    [Fact]
    public async Task Rule_emitted_event_is_admitted_through_the_same_gate_and_counted_per_type_and_source()
    {
        await using var f = await HubFixture.StartAsync();
        var result = await f.Hub.Admission.AdmitAsync(Parse(AcmeEvents.Completed("r-1")), "rule:counters-to-quantities");

        Assert.True(result.Admitted, result.Verdict.Reason);
        Assert.Equal(AcmeEvents.CompletedType, result.Verdict.Subject);
        Assert.Equal(1, result.Verdict.SchemaVersion);
        var entry = Assert.Single(await f.Hub.Log.ReadAsync(result.Position!.Value.Partition, result.Position.Value.Offset, 1));
        Assert.Equal("r-1", entry.Record.Id);
        string metrics = f.Hub.Metrics.Render();
        Assert.Contains("millrace_governance_admitted_total{source=\"rule:counters-to-quantities\",type=\"com.acme.production.completed.v1\"} 1", metrics);
    }

    [Fact]
    public async Task Rule_emitted_event_that_breaks_a_business_rule_is_quarantined_with_the_rule_name_and_message()
    {
        await using var f = await HubFixture.StartAsync();
        var result = await f.Hub.Admission.AdmitAsync(Parse(AcmeEvents.Completed("r-2", good: 10, scrap: 90)), "rule:counters-to-quantities");

        Assert.False(result.Admitted);
        Assert.Equal("rule", result.Verdict.ReasonClass);
        Assert.Equal("scrap-plausible", result.Verdict.Rule);
        var error = Assert.Single(result.Verdict.Errors);
        Assert.Equal("/business-rules/scrap-plausible", error.KeywordLocation);
        Assert.Equal("scrap-plausible: scrap 90 is more than 20% of the 100 pcs produced: check the counters", error.Message);
        var item = await f.Hub.Quarantine.GetAsync(result.QuarantineId!.Value);
        Assert.Equal("rule:counters-to-quantities", item!.Source);
        Assert.Equal("r-2", CloudEventJsonReader.Parse(item.Payload.Span).Id); // an in-process event is kept as its JSON form
        Assert.Contains("millrace_governance_quarantined_total{reason=\"rule\",source=\"rule:counters-to-quantities\",type=\"com.acme.production.completed.v1\"} 1",
            f.Hub.Metrics.Render());
    }

    [Fact]
    public async Task Screening_a_rule_fact_quarantines_a_refused_one_with_its_trace_and_appends_nothing()
    {
        await using var f = await HubFixture.StartAsync();
        const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var refused = Parse(AcmeEvents.Completed("r-3", good: 10, scrap: 90)) with { TraceParent = traceparent };
        var valid = Parse(AcmeEvents.Completed("r-4"));

        Assert.False(await f.Hub.Admission.ScreenAsync(refused, "rule:counters-to-quantities"));
        Assert.True(await f.Hub.Admission.ScreenAsync(valid, "rule:counters-to-quantities"));

        // Screening decides and quarantines; appending the admitted one is the caller's (the emitter's) job.
        var info = await f.Hub.Log.GetInfoAsync();
        Assert.All(info.Partitions, p => Assert.Equal(p.StartOffset, p.NextOffset));
        var item = Assert.Single(await f.Hub.Quarantine.ListAsync(new QuarantineQuery(Source: "rule:counters-to-quantities")));
        Assert.Equal("r-3", item.EventId);
        Assert.Equal("rule", item.ReasonClass);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", item.TraceId);
        string metrics = f.Hub.Metrics.Render();
        Assert.Contains("millrace_governance_quarantined_total{reason=\"rule\",source=\"rule:counters-to-quantities\",type=\"com.acme.production.completed.v1\"} 1", metrics);
        Assert.Contains("millrace_governance_admitted_total{source=\"rule:counters-to-quantities\",type=\"com.acme.production.completed.v1\"} 1", metrics);
    }

    [Fact]
    public async Task Unknown_event_type_is_refused_as_unknown_type_and_labelled_without_the_type_text()
    {
        await using var f = await HubFixture.StartAsync();
        var e = AcmeEvents.Completed("u-1", withDataSchema: false);
        e["type"] = "com.acme.production.finished.v1";
        var result = await f.Hub.Admission.AdmitAsync(Parse(e), "test");

        Assert.Equal("unknown-type", result.Verdict.ReasonClass);
        Assert.Equal("/type", Assert.Single(result.Verdict.Errors).InstanceLocation);
        Assert.Contains("type=\"(unknown)\"", f.Hub.Metrics.Render());
    }

    [Theory]
    [InlineData("https://millrace.dev/schemas/com.acme.production.completed.v1/7", "subject 'com.acme.production.completed.v1' has no version 7")]
    [InlineData("https://millrace.dev/schemas/com.acme.inventory.moved.v1/1", "dataschema names subject 'com.acme.inventory.moved.v1' but the event type is 'com.acme.production.completed.v1'")]
    [InlineData("https://example.com/completed.json", "dataschema 'https://example.com/completed.json' is not a registry URI")]
    public async Task Dataschema_that_names_no_registered_version_of_the_type_is_refused_as_unknown_schema(string dataschema, string expected)
    {
        await using var f = await HubFixture.StartAsync();
        var e = AcmeEvents.Completed("d-1");
        e["dataschema"] = dataschema;
        var verdict = f.Hub.Admission.Check(Parse(e));

        Assert.Equal("unknown-schema", verdict.ReasonClass);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal("/dataschema", error.InstanceLocation);
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public async Task Without_dataschema_the_latest_version_applies_including_one_registered_while_the_hub_runs()
    {
        await using var f = await HubFixture.StartAsync();
        var withShift = AcmeEvents.Completed("v-1", withDataSchema: false);
        withShift["data"]!["shift"] = "B"; // not in version 1 (closed content model)
        Assert.Equal("schema", f.Hub.Admission.Check(Parse(withShift)).ReasonClass);

        // Version 2 adds an optional 'shift'. Version 1 is closed, so old readers could not read it (forward breaks) and the
        // catalogue's FULL_TRANSITIVE refuses it; this spec is about resolution, so the subject is set to NONE first.
        f.Hub.Registry.SetSubject(AcmeEvents.CompletedType, Millrace.Schema.Compatibility.CompatibilityMode.None);
        var v1 = f.Hub.Registry.GetVersion(AcmeEvents.CompletedType, 1)!.Schema;
        var v2 = JsonNode.Parse(v1.GetRawText())!.AsObject();
        v2["$id"] = "https://millrace.dev/schemas/com.acme.production.completed.v1/2";
        v2["properties"]!["shift"] = new JsonObject { ["type"] = "string" };
        var registration = f.Hub.Registry.Register(AcmeEvents.CompletedType, v2.ToJsonString());
        Assert.True(registration.Succeeded, string.Join("; ", registration.Problems));

        var verdict = f.Hub.Admission.Check(Parse(withShift));
        Assert.True(verdict.Admitted, verdict.Reason);
        Assert.Equal(2, verdict.SchemaVersion);
        var pinned = AcmeEvents.Completed("v-2");
        pinned["data"]!["shift"] = "B";
        Assert.Equal("schema", f.Hub.Admission.Check(Parse(pinned)).ReasonClass); // dataschema .../1 still means version 1
    }

    [Fact]
    public async Task Retired_type_is_refused_by_its_lifecycle_even_with_valid_data_and_a_deprecated_one_is_admitted()
    {
        await using var f = await HubFixture.StartAsync();
        CloudEvent Example(string type)
        {
            var schema = HubFixture.AcmeGovernance.Schemas.Single(d => d.Subject == type).Schema;
            var e = new JsonObject { ["specversion"] = "1.0", ["id"] = "l-" + type, ["source"] = "/acme/legacy", ["type"] = type,
                ["data"] = JsonNode.Parse(schema.GetProperty("examples")[0].GetRawText()) };
            return Parse(e);
        }
        var retired = f.Hub.Admission.Check(Example("com.acme.quality.inspection.failed.v0"));
        Assert.Equal("retired", retired.ReasonClass);
        var error = Assert.Single(retired.Errors);
        Assert.Equal("/type", error.InstanceLocation);
        Assert.Contains("com.acme.quality.exception.raised.v1", error.Message); // names the successor
        var deprecated = f.Hub.Admission.Check(Example("com.acme.production.count.reported.v0"));
        Assert.True(deprecated.Admitted, deprecated.Reason);
    }

    [Fact]
    public async Task Event_without_json_data_is_refused_as_schema()
    {
        await using var f = await HubFixture.StartAsync();
        var e = AcmeEvents.Completed("b-1");
        e.Remove("data");
        e["data_base64"] = Convert.ToBase64String("{}"u8.ToArray());
        var verdict = f.Hub.Admission.Check(Parse(e));
        Assert.Equal("schema", verdict.ReasonClass);
        Assert.Equal("/data_base64", Assert.Single(verdict.Errors).InstanceLocation);
    }

    [Fact]
    public async Task Source_scoped_to_plants_cannot_deliver_another_plants_event()
    {
        await using var f = await HubFixture.StartAsync();
        var raw = Encoding.UTF8.GetBytes(AcmeEvents.Completed("s-1", plant: "plant-02").ToJsonString());
        var result = await f.Hub.Admission.AdmitAsync(EventSubmission.Parse("plant-01-broker", raw, allowedPlants: ["plant-01"]));
        Assert.Equal("scope", result.Verdict.ReasonClass);
        Assert.Equal("/plant", Assert.Single(result.Verdict.Errors).InstanceLocation);
    }
}
