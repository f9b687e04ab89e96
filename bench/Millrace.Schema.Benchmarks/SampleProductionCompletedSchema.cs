using System.Text.Json;

namespace Millrace.Schema.Benchmarks;

/// <summary>
/// The shipped samples/acme/schemas/production.completed.v1.json (embedded): eleven required properties, eight
/// of them through <c>$ref</c> to <c>$defs</c>, two date-time formats, a hierarchical asset-id regex.
/// The valid event is the schema's own example; the invalid one has a negative scrap and a malformed asset id.
/// </summary>
public static class SampleProductionCompletedSchema
{
    public static string Schema { get; } = Load();

    public static string ValidEvent { get; } = Example();

    public static string InvalidEvent { get; } = ValidEvent
        .Replace("\"scrap\":3.5", "\"scrap\":-1", StringComparison.Ordinal)
        .Replace("\"asset\":\"plant-01/pack-1/filler-01\"", "\"asset\":\"Plant 01\"", StringComparison.Ordinal);

    private static string Load()
    {
        using var stream = typeof(SampleProductionCompletedSchema).Assembly.GetManifestResourceStream("production.completed.v1.json")
            ?? throw new InvalidOperationException("embedded production.completed.v1.json missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Example()
    {
        using var doc = JsonDocument.Parse(Schema);
        return JsonSerializer.Serialize(doc.RootElement.GetProperty("examples")[0]);
    }
}
