using System.Text.Json;
using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Business rules and workflow conditions over a CloudEvent's JSON data.</summary>
public class JsonScopeSpecs
{
    [Theory]
    [InlineData("data.confirmed <= data.order_quantity * 1.05", true)]   // the over-delivery rule
    [InlineData("data.confirmed <= data.order_quantity", false)]
    [InlineData("data.confirmed > data.order_quantity", true)]           // json against json compares as numbers
    [InlineData("data.severity in ['high', 'critical']", true)]
    [InlineData("data.severity not in ['low']", true)]
    [InlineData("data.severity == 'high'", true)]
    [InlineData("'high' == data.severity", true)]
    [InlineData("data.order == data.order", true)]
    [InlineData("data.unit == 'pcs' and data.scrap == 0", true)]
    [InlineData("data.rework == false and data.approved == true", true)]
    [InlineData("data.approved", true)]
    [InlineData("not data.rework", true)]
    [InlineData("data.lines[1].sku == 'B-2'", true)]
    [InlineData("data.lines[0].qty + data.lines[1].qty == 5", true)]
    [InlineData("data.lines[data.lines[0].qty - 1].sku == 'B-2'", true)]  // computed index
    [InlineData("data['odd-name'] == 5", true)]
    [InlineData("data.in == 'keyword member'", true)]
    [InlineData("len(data.lines) == 2", true)]
    [InlineData("len(data.order) == 7", true)]
    [InlineData("len(data.lines[0]) == 2", true)]
    [InlineData("contains(data.tags, 'rush')", true)]
    [InlineData("contains(data.tags, 'slow')", false)]
    [InlineData("contains(data.codes, 11)", true)]
    [InlineData("contains(data.order, '47')", true)]
    [InlineData("starts_with(data.order, 'PO-')", true)]
    [InlineData("timestamp(data.completed_at) - timestamp(data.started_at) == 2h", true)]
    [InlineData("timestamp(data.started_at) + 2h == timestamp(data.completed_at)", true)]
    [InlineData("data.setup_s * 1s == 90s", true)]
    [InlineData("90s == data.setup_s", true)]                              // json next to a duration: a number is seconds
    [InlineData("1m30s + data.setup_s == 3m", true)]
    [InlineData("data.lines[data.codes[0] - 6].sku == 'B-2'", true)]
    [InlineData("data[data.missing] == null", true)]                       // a dynamic key that is missing
    [InlineData("data.lines[0][data.lines[0].sku] == null", true)]         // a json string key: member 'A-1' is absent
    [InlineData("data.lines[0] == data.lines[0]", true)]
    [InlineData("data.lines[0] == data.lines[1]", false)]
    [InlineData("data.order_quantity == 1000.0", true)]
    [InlineData("data.order_quantity in [10, 1000]", true)]
    [InlineData("data.escaped == 'café \"x\"'", true)]                     // JSON escapes in the value
    [InlineData("data.escaped_key == 1", true)]                             // and in the member name
    public void Business_rules_read_json_data(string text, bool expected) =>
        Assert.Equal(expected, ProductionEvent.Condition(text));

    [Theory]
    [InlineData("round(data.confirmed / data.order_quantity * 100, 1)", 104)]
    [InlineData("data.confirmed - data.order_quantity", 40)]
    [InlineData("-data.scrap + 1", 1)]
    [InlineData("to_number(data.quantity_text)", 12.5)]
    [InlineData("to_number(data.approved)", 1)]
    [InlineData("data.codes[1]", 11)]
    [InlineData("max(data.codes[0], data.codes[1])", 11)]
    [InlineData("coalesce(data.missing, data.confirmed)", 1040)]
    public void Computed_fields_read_json_numbers(string text, double expected) =>
        Assert.Equal(expected, ProductionEvent.Number(text), 12);

    [Theory]
    [InlineData("'Order ' + data.order + ' confirmed'", "Order PO-4711 confirmed")]
    [InlineData("data.order + '/' + data.confirmed", "PO-4711/1040")]             // json takes string type next to a string
    [InlineData("to_string(data.confirmed)", "1040")]
    [InlineData("upper(data.unit)", "PCS")]
    [InlineData("data.severity == 'high' ? 'urgent' : 'normal'", "urgent")]
    [InlineData("data.tags", "[ \"rush\", \"export\" ]")]                        // non-strings give their JSON text
    public void Mappings_build_text_from_json(string text, string expected) =>
        Assert.Equal(expected, ProductionEvent.Text(text));

    [Fact]
    public void A_json_value_result_is_the_element_itself()
    {
        var line = Assert.IsType<JsonElement>(ProductionEvent.Value("data.lines[0]"));
        Assert.Equal("A-1", line.GetProperty("sku").GetString());
        Assert.Null(ProductionEvent.Value("data.lines[9]"));
    }

    [Theory]
    [InlineData("event.data.severity in ['high', 'critical']", true)]
    [InlineData("event.type == 'com.acme.production.confirmed.v1' and event.data.confirmed > 0", true)]
    [InlineData("starts_with(event.source, '/acme/plant-03')", true)]
    [InlineData("event.subject == event.data.order", true)]
    [InlineData("event.time == timestamp(event.data.completed_at)", true)]
    [InlineData("event.time - timestamp(event.data.started_at) > 1h", true)]
    public void Workflow_conditions_read_the_envelope_and_the_data(string text, bool expected) =>
        Assert.Equal(expected, ExpressionCompiler.CompilePredicate(text, ProductionEvent.EventScope())(ProductionEvent.View()));

    [Theory]
    [InlineData("event.typ == 'x'", "unknown field 'event.typ' (did you mean 'event.type'?)")]
    [InlineData("event.type.name == 'x'", "'event.type' is a string and has no field 'name'")]
    [InlineData("event.dta.x > 1", "unknown field 'event.dta' (did you mean 'event.data'?)")]
    [InlineData("dat.x > 1", "unknown field 'dat.x'")]
    public void Envelope_fields_are_checked_but_data_members_are_dynamic(string text, string reason)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompilePredicate(text, ProductionEvent.EventScope()));
        Assert.Equal(reason, error.Reason);
    }
}
