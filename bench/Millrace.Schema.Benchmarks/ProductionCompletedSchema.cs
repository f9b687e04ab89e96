namespace Millrace.Schema.Benchmarks;

/// <summary>A realistic CloudEvent data schema and sample events for "production completed" v1.</summary>
public static class ProductionCompletedSchema
{
    public const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.millrace.dev/events/production-completed/v1",
          "title": "production.completed v1 (CloudEvent data)",
          "type": "object",
          "required": ["orderId", "operation", "material", "goodQty", "scrapQty", "unit", "lot", "plant",
                       "workCenter", "startedAt", "completedAt"],
          "properties": {
            "orderId": { "type": "string", "pattern": "^[0-9]{10}$" },
            "operation": { "type": "string", "pattern": "^[0-9]{4}$" },
            "material": { "type": "string", "minLength": 1, "maxLength": 40 },
            "goodQty": { "type": "number", "minimum": 0, "maximum": 1000000 },
            "scrapQty": { "type": "number", "minimum": 0, "maximum": 1000000 },
            "unit": { "enum": ["PCS", "KG", "M", "L", "M2"] },
            "lot": { "type": "string", "minLength": 1, "maxLength": 20 },
            "plant": { "type": "string", "pattern": "^[A-Z0-9]{4}$" },
            "workCenter": { "type": "string", "minLength": 1, "maxLength": 8 },
            "shift": { "enum": ["A", "B", "C"] },
            "operatorId": { "type": "string", "maxLength": 12 },
            "startedAt": { "type": "string", "format": "date-time" },
            "completedAt": { "type": "string", "format": "date-time" },
            "final": { "type": "boolean" }
          },
          "additionalProperties": false
        }
        """;

    public const string ValidEvent = """
        {"orderId":"1000004711","operation":"0020","material":"BRKT-7731-A","goodQty":480,"scrapQty":3.5,
         "unit":"PCS","lot":"L2026-1122-07","plant":"DE01","workCenter":"PRESS04","shift":"B","operatorId":"op-1187",
         "startedAt":"2026-11-22T06:00:00Z","completedAt":"2026-11-22T08:14:55.120+01:00","final":true}
        """;

    /// <summary>Invalid in two places: negative scrap and an unknown unit (a typical producer bug).</summary>
    public const string InvalidEvent = """
        {"orderId":"1000004711","operation":"0020","material":"BRKT-7731-A","goodQty":480,"scrapQty":-1,
         "unit":"pieces","lot":"L2026-1122-07","plant":"DE01","workCenter":"PRESS04","shift":"B","operatorId":"op-1187",
         "startedAt":"2026-11-22T06:00:00Z","completedAt":"2026-11-22T08:14:55.120+01:00","final":true}
        """;
}
