namespace Millrace.Hub.Workflows.Definitions;

/// <summary>The workflows of a configuration (published by <see cref="WorkflowsSection"/>).</summary>
public sealed record WorkflowCatalog(IReadOnlyList<WorkflowDefinition> Definitions)
{
    /// <summary>No workflows.</summary>
    public static readonly WorkflowCatalog Empty = new([]);
}

/// <summary>
/// The operations each connector offers. <see cref="WorkflowsSection"/> checks every step's connector and operation
/// against it when a section published one, else against the <c>connectors:</c> section's catalogue of
/// <c>ConnectorDefinition</c>s (when the configuration has that section).
/// </summary>
public sealed record ConnectorOperationCatalog(IReadOnlyDictionary<string, IReadOnlyCollection<string>> Operations);
