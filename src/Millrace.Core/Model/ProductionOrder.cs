using System.Collections.Immutable;
using Millrace.Core.Units;

namespace Millrace.Core.Model;

/// <summary>One operation of a production order, performed at a work centre (a line or a cell).</summary>
/// <param name="Id">Operation id within the order (ERP operation number, e.g. "0010").</param>
/// <param name="Sequence">Order of execution.</param>
/// <param name="WorkCenterId">Full id of the line or work cell that performs it.</param>
public sealed record ProductionOperation(string Id, int Sequence, string WorkCenterId)
{
    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}

/// <summary>A production order: make a quantity of a material on a line.</summary>
/// <param name="Id">Order id (the ERP's order number, or a Millrace id mapped per connector).</param>
/// <param name="MaterialId">The material produced.</param>
/// <param name="PlannedQuantity">Quantity to produce.</param>
/// <param name="Unit">Unit of the quantity.</param>
/// <param name="SiteId">The plant.</param>
/// <param name="LineId">The line (full id).</param>
/// <param name="Status">Lifecycle status.</param>
public sealed record ProductionOrder(
    string Id, string MaterialId, double PlannedQuantity, Unit Unit, string SiteId, string LineId, ProductionOrderStatus Status)
{
    /// <summary>Operations in sequence.</summary>
    public ImmutableArray<ProductionOperation> Operations { get; init; } = [];

    /// <summary>Planned start.</summary>
    public DateTimeOffset? PlannedStart { get; init; }

    /// <summary>Planned end.</summary>
    public DateTimeOffset? PlannedEnd { get; init; }

    /// <summary>This order moved to <paramref name="next"/>.</summary>
    /// <exception cref="InvalidOperationException">The transition is not allowed.</exception>
    public ProductionOrder TransitionTo(ProductionOrderStatus next)
    {
        if (!Status.CanTransitionTo(next))
            throw new InvalidOperationException($"production order '{Id}' cannot go from {Status} to {next}");
        return this with { Status = next };
    }
}
