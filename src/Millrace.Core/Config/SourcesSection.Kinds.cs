using System.Collections.Immutable;

namespace Millrace.Core.Config;

public sealed partial class SourcesSection
{
    private static SourceDefinition? ReadHttp(SourceDefinition common, MappingReader m, ConfigContext context)
    {
        var path = m.Text("path");
        var format = ReadFormat(m, context);
        if (path is not null && !path.Value.StartsWith('/'))
        {
            context.Error(path, $"'path' must start with '/', got '{path.Value}'");
            return null;
        }
        return format is null ? null : new HttpSourceDefinition(common.Id)
        {
            Description = common.Description, Enabled = common.Enabled, Plants = common.Plants, Lines = common.Lines,
            Path = path?.Value, Format = format,
        };
    }

    private static SourceDefinition? ReadSimulator(SourceDefinition common, MappingReader m, ConfigContext context)
    {
        var rate = m.Number("rate", required: true);
        var seed = m.Integer("seed");
        if (rate is <= 0 or > 10_000_000)
        {
            context.Error(m.LocationOf("rate"), $"'rate' must be between 0 (exclusive) and 10000000 samples/s, got {rate}");
            return null;
        }
        if (seed is < int.MinValue or > int.MaxValue)
        {
            context.Error(m.LocationOf("seed"), "'seed' must fit in 32 bits");
            return null;
        }
        return rate is null ? null : new SimulatorSourceDefinition(common.Id, rate.Value)
        {
            Description = common.Description, Enabled = common.Enabled, Plants = common.Plants, Lines = common.Lines,
            Seed = (int?)seed,
        };
    }

    private static SourceDefinition? ReadMqtt(SourceDefinition common, MappingReader m, ConfigContext context)
    {
        var ok = true;
        var urlNode = m.Text("url", required: true);
        Uri? url = null;
        if (urlNode is not null)
        {
            if (!Uri.TryCreate(urlNode.Value, UriKind.Absolute, out url) || url.Scheme is not ("mqtt" or "mqtts") || url.Host.Length == 0)
            {
                context.Error(urlNode, $"'url' must be 'mqtt://host[:port]' or 'mqtts://host[:port]', got '{urlNode.Value}'");
                ok = false;
            }
            else if (url.UserInfo.Length > 0)
            {
                context.Error(urlNode, "'url' must not contain a user or password; use 'credentials: env:NAME' or 'credentials: file:path'");
                ok = false;
            }
        }
        CredentialReference? credentials = null;
        var credentialsNode = m.Value("credentials");
        if (credentialsNode is not null)
        {
            if (credentialsNode is ConfigScalar c && CredentialReference.TryParse(c.Value, out credentials, out var error)) { }
            else
            {
                context.Error(credentialsNode, credentialsNode is ConfigScalar ? CredentialErrorFor((ConfigScalar)credentialsNode)
                    : "credentials must be a reference, 'env:NAME' or 'file:path'; secrets are never written in configuration");
                ok = false;
            }
        }
        var topics = m.TextList("topics", required: true);
        if (m.Has("topics") && topics.Count == 0)
        {
            context.Error(m.LocationOf("topics"), "'topics' needs at least one topic filter");
            ok = false;
        }
        foreach (var topic in topics)
        {
            if (MqttTopicFilter.Validate(topic.Value, out var offset) is { } error)
            {
                context.Error(topic.LocationOf(offset), $"invalid topic filter '{topic.Value}': {error}");
                ok = false;
            }
        }
        var format = ReadFormat(m, context, allowCloudEvents: true);
        // CloudEvents name their own subject and plant: the topic is not interpreted, so no template is needed.
        var templateNode = m.Text("topic-template", required: format != CloudEventsFormat);
        TopicTemplate? template = null;
        if (templateNode is not null)
        {
            var singlePlant = common.Plants.Length == 1;
            if (!TopicTemplate.TryParse(templateNode.Value, !singlePlant, out template, out var error, out var offset))
            {
                context.Error(templateNode.LocationOf(offset), error);
                ok = false;
            }
            else if (ok && topics.Count > 0 && !topics.Any(t => MqttTopicFilter.Overlap(t.Value, template.SubscriptionFilter)))
            {
                context.Error(templateNode, $"topic-template '{template.Text}' matches none of the subscribed 'topics'");
                ok = false;
            }
        }
        var clientId = m.String("client-id");
        var qos = m.Integer("qos");
        if (qos is not null and not (0 or 1 or 2))
        {
            context.Error(m.LocationOf("qos"), $"'qos' must be 0, 1 or 2, got {qos}");
            ok = false;
        }
        if (!ok || url is null || (template is null && format != CloudEventsFormat) || format is null || topics.Count == 0) return null;
        return new MqttSourceDefinition(common.Id, url, [.. topics.Select(t => t.Value)], template)
        {
            Description = common.Description, Enabled = common.Enabled, Plants = common.Plants, Lines = common.Lines,
            Credentials = credentials, Format = format, ClientId = clientId, Qos = (int)(qos ?? 1),
        };
    }

    private static string CredentialErrorFor(ConfigScalar node)
    {
        CredentialReference.TryParse(node.Value, out _, out var error);
        return error!;
    }

    /// <summary>The <c>format</c> of an mqtt source carrying business events as CloudEvents JSON.</summary>
    public const string CloudEventsFormat = "cloudevents";

    private static string? ReadFormat(MappingReader m, ConfigContext context, bool allowCloudEvents = false)
    {
        var format = m.Text("format");
        if (format is null) return "json";
        if (format.Value == "json") return "json";
        if (allowCloudEvents && format.Value == CloudEventsFormat) return CloudEventsFormat;
        context.Error(format, $"unsupported format '{format.Value}' (supported: json{(allowCloudEvents ? ", " + CloudEventsFormat : "")})");
        return null;
    }
}
