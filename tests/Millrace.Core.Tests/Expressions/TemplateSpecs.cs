using Millrace.Core.Expressions;

namespace Millrace.Core.Tests.Expressions;

/// <summary>Text templates with expression holes, for connector bodies and messages.</summary>
public class TemplateSpecs
{
    private static string Render(string template) =>
        ExpressionCompiler.CompileTemplate(template, ExpressionScope.ForJson())(ProductionEvent.Data);

    [Theory]
    [InlineData("Order {data.order} confirmed", "Order PO-4711 confirmed")]
    [InlineData("{data.confirmed} {upper(data.unit)}", "1040 PCS")]
    [InlineData("{round(data.confirmed / data.order_quantity * 100, 1)} %", "104 %")]
    [InlineData("{data.severity == 'high' ? 'URGENT: ' : ''}{data.order}", "URGENT: PO-4711")]
    [InlineData("note=[{data.note}] missing=[{data.missing}]", "note=[] missing=[]")]   // missing renders as nothing
    [InlineData("{{literal}} {data.order}", "{literal} PO-4711")]
    [InlineData("{'}' + data.order}", "}PO-4711")]                                    // a brace inside a string
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    [InlineData("{data.missing}", "")]
    public void Templates_render_literal_text_and_holes(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("Order {data.order", 7, "'{' is not closed in template (write '{{' for a literal brace)")]
    [InlineData("Order } x", 7, "unmatched '}' in template (write '}}' for a literal brace)")]
    [InlineData("Order {data.order +} x", 20, "expected a value, found end of expression")]   // the end of the hole
    [InlineData("Qty {data.confirmed + 'x' + y}", 29, "unknown field 'y'")]
    [InlineData("Qty {sqroot(data.confirmed)}", 6, "unknown function 'sqroot' (did you mean 'sqrt'?)")]
    [InlineData("a {} b", 4, "expression is empty")]
    public void Template_errors_point_at_the_column_in_the_whole_template(string template, int column, string reason)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileTemplate(template, ExpressionScope.ForJson()));
        Assert.Equal(reason, error.Reason);
        Assert.Equal(column, error.Column);
    }
}
