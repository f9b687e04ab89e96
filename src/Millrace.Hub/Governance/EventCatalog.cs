using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Millrace.Hub.Governance;

/// <summary>Settings of an <see cref="EventCatalog"/>.</summary>
public sealed class EventCatalogOptions
{
    /// <summary>Clock for sunset dates and warning intervals.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where deprecation warnings go.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>A deprecated type is warned about at most once per this interval (it is counted every time).</summary>
    public TimeSpan WarningInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Scope of the <c>Millrace.Governance</c> meter; the hub passes its <c>HubTelemetry</c> so the Prometheus
    /// exporter (which only reads meters of its own scope) publishes <c>millrace.events.deprecated</c>.
    /// </summary>
    public object? MeterScope { get; init; }
}

/// <summary>
/// The event catalogue at run time: answers, for a CloudEvents <c>type</c>, whether it may be emitted. Draft and
/// active types are allowed; a deprecated one is allowed but counted in <c>millrace.events.deprecated</c> (tag
/// <c>type</c>) and warned in the log once per type per <see cref="EventCatalogOptions.WarningInterval"/>; a retired
/// one is refused with a reason naming its successor; anything else is unknown. Thread-safe and allocation-free for
/// allowed types, so the ingest gate can ask for every event.
/// </summary>
public sealed partial class EventCatalog : IDisposable
{
    /// <summary>Name of the meter holding <c>millrace.events.deprecated</c>.</summary>
    public const string MeterName = "Millrace.Governance";

    private readonly FrozenDictionary<string, Entry> _types;
    private readonly EventCatalogOptions _options;
    private readonly Meter _meter;
    private readonly Counter<long> _deprecated;
    private readonly ConcurrentDictionary<string, long> _lastWarned = new(StringComparer.Ordinal);

    private sealed record Entry(EventType Type, string? Reason);

    /// <summary>A catalogue of the given types (later duplicates of a subject are ignored).</summary>
    public EventCatalog(IEnumerable<EventType> types, EventCatalogOptions? options = null)
    {
        _options = options ?? new EventCatalogOptions();
        var byType = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var type in types) byType.TryAdd(type.Subject, new Entry(type, ReasonFor(type)));
        _types = byType.ToFrozenDictionary(StringComparer.Ordinal);
        Types = byType.Values.Select(e => e.Type).OrderBy(t => t.Domain, StringComparer.Ordinal)
            .ThenBy(t => t.Subject, StringComparer.Ordinal).ToList();
        _meter = new Meter(new MeterOptions(MeterName) { Scope = _options.MeterScope });
        _deprecated = _meter.CreateCounter<long>("millrace.events.deprecated", "{event}",
            "Events of a deprecated type accepted, by type.");
    }

    /// <summary>The catalogue of the configuration's <c>schemas:</c> entries.</summary>
    public static EventCatalog FromDefinitions(IEnumerable<SchemaDefinition> definitions, EventCatalogOptions? options = null) =>
        new(definitions.Select(EventType.From), options);

    /// <summary>Every type, by domain then subject.</summary>
    public IReadOnlyList<EventType> Types { get; }

    /// <summary>The entry of a type, if catalogued.</summary>
    public bool TryGet(string type, out EventType? entry)
    {
        bool found = _types.TryGetValue(type, out var e);
        entry = e?.Type;
        return found;
    }

    /// <summary>
    /// The verdict for emitting one event of <paramref name="type"/>. Counts and (rate-limited) warns deprecated
    /// types as a side effect, so call it once per event.
    /// </summary>
    public EventAdmission Admit(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!_types.TryGetValue(type, out var entry)) return new(EventAdmissionVerdict.Unknown, null, null);
        switch (entry.Type.Lifecycle)
        {
            case EventLifecycle.Retired:
                return new(EventAdmissionVerdict.Retired, entry.Type, entry.Reason);
            case EventLifecycle.Deprecated:
                _deprecated.Add(1, new KeyValuePair<string, object?>("type", type));
                WarnOncePerInterval(entry.Type);
                return new(EventAdmissionVerdict.Deprecated, entry.Type, entry.Reason);
            default:
                return new(EventAdmissionVerdict.Allowed, entry.Type, null);
        }
    }

    private void WarnOncePerInterval(EventType type)
    {
        long now = _options.Time.GetTimestamp();
        long interval = (long)(_options.WarningInterval.TotalSeconds * _options.Time.TimestampFrequency);
        long last = _lastWarned.GetOrAdd(type.Subject, long.MinValue);
        if (last != long.MinValue && now - last < interval) return;
        // Only the thread that moves the mark warns, so racing events of the same type warn once.
        if (!_lastWarned.TryUpdate(type.Subject, now, last)) return;
        var today = DateOnly.FromDateTime(_options.Time.GetUtcNow().UtcDateTime);
        string sunset = type.Sunset?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(no date)";
        string successor = type.ReplacedBy ?? "(none named)";
        if (type.Sunset is { } date && today > date)
            LogPastSunset(_options.Logger, type.Subject, sunset, successor, type.Owner ?? "(no owner)");
        else
            LogDeprecated(_options.Logger, type.Subject, sunset, successor, type.Owner ?? "(no owner)");
    }

    private static string? ReasonFor(EventType type)
    {
        string successor = type.ReplacedBy is null ? "" : $"; emit '{type.ReplacedBy}' instead";
        string date = type.Sunset?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
        return type.Lifecycle switch
        {
            EventLifecycle.Retired => $"event type '{type.Subject}' is retired{(date.Length > 0 ? " since " + date : "")}{successor}",
            EventLifecycle.Deprecated => $"event type '{type.Subject}' is deprecated{(date.Length > 0 ? " and will be retired after " + date : "")}{successor}",
            _ => null,
        };
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning,
        Message = "Deprecated event type {EventType} was emitted; sunset {Sunset}, successor {ReplacedBy}, owner {Owner}")]
    private static partial void LogDeprecated(ILogger logger, string eventType, string sunset, string replacedBy, string owner);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning,
        Message = "Deprecated event type {EventType} was emitted after its sunset date {Sunset}; retire it or move producers to {ReplacedBy} (owner {Owner})")]
    private static partial void LogPastSunset(ILogger logger, string eventType, string sunset, string replacedBy, string owner);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
