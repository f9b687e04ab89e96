using System.Text.Json;
using System.Text.Json.Serialization;
using Millrace.Hub.Workflows.Definitions;
using Millrace.Hub.Workflows.Engine;
using Millrace.Hub.Workflows.Inspection;

namespace Millrace.Hub.Workflows.Store;

/// <summary>Source-generated JSON for stored definitions and instance state, and the inspection API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkflowDefinition))]
[JsonSerializable(typeof(InstanceState))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(InstanceSummary))]
[JsonSerializable(typeof(InstanceDetail))]
[JsonSerializable(typeof(InstanceList))]
[JsonSerializable(typeof(DecisionRequest))]
[JsonSerializable(typeof(CommandResponse))]
public sealed partial class WorkflowJsonContext : JsonSerializerContext;
