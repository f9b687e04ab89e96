using Millrace.Hub.Governance;

namespace Millrace.Hub.Tests.Governance;

/// <summary>What <c>millrace catalog</c> prints by default.</summary>
public sealed class CatalogTableSpecs
{
    [Fact]
    public void The_table_has_a_row_per_type_with_lifecycle_sunset_and_successor_and_a_count_per_state()
    {
        var messages = CatalogMessage.Collect(AcmeCatalogue.Load(), null);
        var lines = CatalogTable.Format(messages).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("DOMAIN", lines[0]);
        Assert.Equal(messages.Count + 2, lines.Length);
        var deprecated = Assert.Single(lines, l => l.Contains("com.acme.production.count.reported.v0"));
        Assert.Contains("deprecated -> com.acme.production.completed.v1", deprecated);
        Assert.Contains("2027-03-31", deprecated);
        Assert.Contains("lyon-packaging-gateway", deprecated);
        Assert.Equal($"{messages.Count} event types: {messages.Count - 2} active, 1 deprecated, 1 retired", lines[^1]);
    }
}
