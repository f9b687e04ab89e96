using Millrace.Core.Config;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// <c>rule-settings:</c> — <c>allowed-lateness</c> (duration, default 0), <c>reorder-capacity</c> (samples held per
/// asset while waiting for the watermark, default 32) and <c>message-id-memory</c> (recent message ids remembered per
/// shard, default 65536). Publishes <see cref="RuleSettings"/>.
/// </summary>
public sealed class RuleSettingsSection : ConfigSection
{
    private RuleSettings? _settings;
    private SourceLocation? _first;

    /// <inheritdoc />
    public override string Key => "rule-settings";

    /// <inheritdoc />
    public override void Read(ConfigNode value, ConfigContext context)
    {
        if (_first is { } first)
        {
            context.Error(value, $"'rule-settings' is already defined at {first}");
            return;
        }
        _first = value.Location;
        var m = context.ReadMapping(value, "rule settings");
        if (m is null) return;
        var lateness = ConfigDurations.Read(m, context, "allowed-lateness") ?? 0;
        var capacity = m.Integer("reorder-capacity") ?? RuleSettings.Default.ReorderCapacity;
        var memory = m.Integer("message-id-memory") ?? RuleSettings.Default.MessageIdMemory;
        m.Complete();
        if (capacity is < 1 or > 4096)
        {
            context.Error(m.LocationOf("reorder-capacity"), $"'reorder-capacity' must be between 1 and 4096, got {capacity}");
            capacity = RuleSettings.Default.ReorderCapacity;
        }
        if (memory is < 0 or > 16_777_216)
        {
            context.Error(m.LocationOf("message-id-memory"), $"'message-id-memory' must be between 0 and 16777216, got {memory}");
            memory = RuleSettings.Default.MessageIdMemory;
        }
        _settings = new RuleSettings(lateness, (int)capacity, (int)memory);
    }

    /// <inheritdoc />
    public override void Resolve(ConfigContext context) => context.Set(_settings ?? RuleSettings.Default);
}
