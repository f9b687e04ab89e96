namespace Millrace.Core.Model;

/// <summary>Lifecycle of a production order (the common subset of SAP, Dynamics, Odoo and Tryton states).</summary>
public enum ProductionOrderStatus
{
    /// <summary>Planned, not yet released to the floor.</summary>
    Created,
    /// <summary>Released: may start.</summary>
    Released,
    /// <summary>Running on the line.</summary>
    InProgress,
    /// <summary>Quantity produced and confirmed.</summary>
    Completed,
    /// <summary>Settled; no further postings.</summary>
    Closed,
    /// <summary>Cancelled before completion.</summary>
    Cancelled,
}

/// <summary>The allowed transitions between <see cref="ProductionOrderStatus"/> values.</summary>
public static class ProductionOrderStatusExtensions
{
    /// <summary>Whether an order in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool CanTransitionTo(this ProductionOrderStatus from, ProductionOrderStatus to) => (from, to) switch
    {
        (ProductionOrderStatus.Created, ProductionOrderStatus.Released) => true,
        (ProductionOrderStatus.Created, ProductionOrderStatus.Cancelled) => true,
        (ProductionOrderStatus.Released, ProductionOrderStatus.InProgress) => true,
        (ProductionOrderStatus.Released, ProductionOrderStatus.Cancelled) => true,
        (ProductionOrderStatus.InProgress, ProductionOrderStatus.Completed) => true,
        (ProductionOrderStatus.InProgress, ProductionOrderStatus.Cancelled) => true,
        (ProductionOrderStatus.Completed, ProductionOrderStatus.Closed) => true,
        _ => false,
    };
}
