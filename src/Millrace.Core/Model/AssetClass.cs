using System.Collections.Immutable;

namespace Millrace.Core.Model;

/// <summary>
/// A kind of asset (ISA-95 equipment class) such as <c>cnc-mill</c> or <c>temperature-sensor</c>: the signals every
/// asset of the class reports. Assets may override or add signals.
/// </summary>
/// <param name="Id">Enterprise-wide class id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Signals">The signals of every asset of this class.</param>
public sealed record AssetClass(string Id, string Name, ImmutableArray<SignalDefinition> Signals)
{
    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>Marks assets of this class as cold-chain sensors: each must name the storage location it watches.</summary>
    public bool RequiresStorageLocation { get; init; }
}
