using Millrace.Core.Model;
using Millrace.Core.Units;

namespace Millrace.Core.Tests.Model;

public sealed class ProductionOrderTests
{
    private static ProductionOrder Order(ProductionOrderStatus status) =>
        new("PO-1001", "FG-2001", 500, UnitCatalog.Default.Parse("count"), "plant-03", "plant-03/cnc-1", status);

    [Fact]
    public void Order_follows_the_lifecycle_created_released_in_progress_completed_closed()
    {
        var order = Order(ProductionOrderStatus.Created)
            .TransitionTo(ProductionOrderStatus.Released)
            .TransitionTo(ProductionOrderStatus.InProgress)
            .TransitionTo(ProductionOrderStatus.Completed)
            .TransitionTo(ProductionOrderStatus.Closed);
        Assert.Equal(ProductionOrderStatus.Closed, order.Status);
    }

    [Theory]
    [InlineData(ProductionOrderStatus.Created, ProductionOrderStatus.Completed)]
    [InlineData(ProductionOrderStatus.Completed, ProductionOrderStatus.Cancelled)]
    [InlineData(ProductionOrderStatus.Closed, ProductionOrderStatus.Released)]
    [InlineData(ProductionOrderStatus.Cancelled, ProductionOrderStatus.Released)]
    public void Skipping_or_reopening_is_refused(ProductionOrderStatus from, ProductionOrderStatus to)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Order(from).TransitionTo(to));
        Assert.Equal($"production order 'PO-1001' cannot go from {from} to {to}", error.Message);
    }

    [Fact]
    public void Cold_chain_range_checks_readings_in_any_temperature_unit()
    {
        var range = new TemperatureRange(2, 8, UnitCatalog.Default.Parse("°C"));
        Assert.True(range.Contains(41, UnitCatalog.Default.Parse("°F")));   // 5 °C
        Assert.False(range.Contains(50, UnitCatalog.Default.Parse("°F")));  // 10 °C
        Assert.True(range.Contains(2, UnitCatalog.Default.Parse("°C")));
    }
}
