using System.Text;
using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>A CloudEvent with its data parsed once, as a workflow step would evaluate conditions over it.</summary>
public sealed class EventView
{
    public required CloudEvent Event { get; init; }
    public JsonElement Data { get; init; }
}

/// <summary>The "production confirmed" CloudEvent the JSON-scope specifications read.</summary>
internal static class ProductionEvent
{
    public const string DataJson = """
        {
          "order": "PO-4711",
          "order_quantity": 1000,
          "confirmed": 1040,
          "scrap": 0,
          "unit": "pcs",
          "severity": "high",
          "rework": false,
          "approved": true,
          "note": null,
          "quantity_text": "12.5",
          "lines": [ { "sku": "A-1", "qty": 2 }, { "sku": "B-2", "qty": 3 } ],
          "tags": [ "rush", "export" ],
          "codes": [ 7, 11 ],
          "started_at": "2026-11-22T08:15:00Z",
          "completed_at": "2026-11-22T10:15:00Z",
          "setup_s": 90,
          "odd-name": 5,
          "in": "keyword member",
          "escaped": "caf\u00e9 \"x\"",
          "esc\u0061ped_key": 1
        }
        """;

    public static readonly JsonElement Data = JsonDocument.Parse(DataJson).RootElement;

    public static EventView View() => new()
    {
        Event = new CloudEvent
        {
            Id = "evt-1",
            Source = "/acme/plant-03/line-2",
            Type = "com.acme.production.confirmed.v1",
            Subject = "PO-4711",
            Time = new DateTimeOffset(2026, 11, 22, 10, 15, 0, TimeSpan.Zero),
            DataContentType = "application/json",
            DataKind = CloudEventDataKind.Json,
            Data = Encoding.UTF8.GetBytes(DataJson),
        },
        Data = Data,
    };

    /// <summary>How a workflow engine binds an event: envelope attributes as typed fields, data as json.</summary>
    public static ExpressionScope<EventView> EventScope() => ExpressionScope.For<EventView>()
        .Field("event.id", v => v.Event.Id)
        .Field("event.type", v => v.Event.Type)
        .Field("event.source", v => v.Event.Source)
        .Field("event.subject", v => v.Event.Subject)
        .Field("event.time", v => v.Event.Time)
        .Field("event.data", v => v.Data);

    public static bool Condition(string text) => ExpressionCompiler.CompilePredicate(text, ExpressionScope.ForJson())(Data);

    public static double Number(string text) => ExpressionCompiler.CompileNumber(text, ExpressionScope.ForJson())(Data);

    public static object? Value(string text) => ExpressionCompiler.CompileValue(text, ExpressionScope.ForJson())(Data);

    public static string? Text(string text) => ExpressionCompiler.CompileString(text, ExpressionScope.ForJson())(Data);
}
