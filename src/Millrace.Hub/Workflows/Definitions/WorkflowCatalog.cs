namespace Millrace.Hub.Workflows.Definitions;

/// <summary>The workflows of a configuration (published by <see cref="WorkflowsSection"/>).</summary>
public sealed record WorkflowCatalog(IReadOnlyList<WorkflowDefinition> Definitions)
{
    /// <summary>No workflows.</summary>
    public static readonly WorkflowCatalog Empty = new([]);
}

/// <summary>
/// The operations each connector offers, as far as the configuration knows them. Published by the section that
/// reads <c>connectors:</c>; when present, <see cref="WorkflowsSection"/> checks every step's connector and
/// operation against it.
/// </summary>
public sealed record ConnectorOperationCatalog(IReadOnlyDictionary<string, IReadOnlyCollection<string>> Operations);
