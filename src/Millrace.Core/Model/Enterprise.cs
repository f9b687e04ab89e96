namespace Millrace.Core.Model;

/// <summary>The enterprise: the root of the ISA-95 hierarchy.</summary>
/// <param name="Id">Short id, e.g. <c>acme</c>; used in event sources and topic prefixes.</param>
/// <param name="Name">Display name, e.g. "Acme Manufacturing".</param>
public sealed record Enterprise(string Id, string Name)
{
    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}
