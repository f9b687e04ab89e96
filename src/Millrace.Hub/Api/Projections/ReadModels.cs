namespace Millrace.Hub.Api.Projections;

/// <summary>A quantity with its unit.</summary>
public sealed record QuantityView(double Value, string Unit);

/// <summary>A production order as the hub knows it from the log: planned, confirmed so far, status.</summary>
public sealed record ProductionOrderView(string OrderId, string Plant, string Material, QuantityView Planned, string Status,
    double ConfirmedGood, double ConfirmedScrap, DateTimeOffset? ReleasedAt, DateTimeOffset? LastConfirmationAt, string? Line);

/// <summary>Stock of a material at a plant, per unit, folded from adjustments and production.</summary>
public sealed record InventoryAvailabilityView(string Material, string Plant, IReadOnlyList<QuantityView> Available, DateTimeOffset? LastChangeAt);

/// <summary>An asset: master data from the enterprise model and its live state from the log.</summary>
public sealed record AssetView(string Id, string Plant, IReadOnlyList<string> Signals, string? State, DateTimeOffset? StateSince);
