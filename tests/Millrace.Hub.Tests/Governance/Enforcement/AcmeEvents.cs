using System.Text.Json.Nodes;

namespace Millrace.Hub.Tests.Governance.Enforcement;

/// <summary>CloudEvents valid against the Acme catalogue (samples/acme/schemas), with helpers to break them on purpose.</summary>
public static class AcmeEvents
{
    public const string CompletedType = "com.acme.production.completed.v1";
    public const string CompletedSchema = "https://millrace.dev/schemas/com.acme.production.completed.v1/1";

    /// <summary>A production-completed event of <paramref name="plant"/> (plant-01 or plant-02 exist in the test catalogue).</summary>
    public static JsonObject Completed(string id, string plant = "plant-01", double good = 480, double scrap = 3.5, bool withDataSchema = true)
    {
        var e = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = $"/acme/{plant}/mes",
            ["type"] = CompletedType,
            ["subject"] = "1000004711",
            ["time"] = "2026-11-22T08:14:55Z",
            ["datacontenttype"] = "application/json",
            ["partitionkey"] = $"{plant}/pack-1/filler-01",
            ["plant"] = plant,
            ["data"] = new JsonObject
            {
                ["orderId"] = "1000004711",
                ["operation"] = "0020",
                ["plant"] = plant,
                ["asset"] = $"{plant}/pack-1/filler-01",
                ["material"] = "BRKT-7731-A",
                ["good"] = good,
                ["scrap"] = scrap,
                ["unit"] = "pcs",
                ["lot"] = "L2026-1122-07",
                ["startedAt"] = "2026-11-22T06:00:00Z",
                ["completedAt"] = "2026-11-22T08:14:55.120Z",
            },
        };
        if (withDataSchema) e["dataschema"] = CompletedSchema;
        return e;
    }

    /// <summary>The same event with <c>data.good</c> sent as a string — the breaking change of the end-to-end story.</summary>
    public static JsonObject CompletedWithGoodAsText(string id, string plant)
    {
        var e = Completed(id, plant);
        e["data"]!["good"] = "480 pcs";
        return e;
    }
}
