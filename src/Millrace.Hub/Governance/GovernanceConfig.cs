using Millrace.Core.Config;

namespace Millrace.Hub.Governance;

/// <summary>Configuration sections contributed by the hub's layers: governance (<c>schemas:</c>) and the embedded
/// broker (<c>mqtt-broker:</c>, <see cref="Broker.MqttBrokerSection"/>).</summary>
public static class GovernanceConfig
{
    /// <summary>The built-in sections plus <c>schemas:</c>, <c>business-rules:</c>, <c>mqtt-broker:</c>, then <c>rule-settings:</c> and <c>rules:</c> (so rules see the event catalogue), then <c>workflows:</c>.</summary>
    public static ConfigSectionRegistry Sections() => Processing.Rules.RulesConfig.AddTo(AddTo(ConfigSectionRegistry.CreateDefault()))
        .Add(() => new Workflows.Definitions.WorkflowsSection());

    /// <summary>Adds the <c>schemas:</c>, <c>business-rules:</c>, <c>mqtt-broker:</c>, <c>connectors:</c> and capability API sections (<c>api-identity:</c>, <c>api-clients:</c>, <c>apis:</c>) to an existing registry.</summary>
    public static ConfigSectionRegistry AddTo(ConfigSectionRegistry registry)
        => registry.Add(() => new SchemasSection()).Add(() => new Rules.BusinessRulesSection()).Add(() => new Broker.MqttBrokerSection())
            .Add(() => new Connectors.Configuration.ConnectorsSection())
            .Add(() => new Api.Clients.ApiIdentitySection()).Add(() => new Api.Clients.ApiClientsSection()).Add(() => new Api.Clients.ApisSection());
}
