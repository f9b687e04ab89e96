using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Millrace.Hub.Governance;
using Millrace.Schema.Compatibility;

namespace Millrace.Hub.Tests.Governance;

/// <summary>Lifecycle enforcement: allowed, deprecated (counted, warned once per interval), retired (refused), unknown.</summary>
public sealed class EventCatalogSpecs : IDisposable
{
    private static readonly EventType Active = Type("com.acme.production.completed.v1", EventLifecycle.Active);
    private static readonly EventType Draft = Type("com.acme.production.scrap.classified.v1", EventLifecycle.Draft);
    private static readonly EventType Deprecated = Type("com.acme.production.count.reported.v0", EventLifecycle.Deprecated,
        new DateOnly(2027, 3, 31), "com.acme.production.completed.v1");
    private static readonly EventType Retired = Type("com.acme.quality.inspection.failed.v0", EventLifecycle.Retired,
        new DateOnly(2026, 6, 30), "com.acme.quality.exception.raised.v1");

    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _log = new();
    private readonly object _scope = new();
    private readonly EventCatalog _catalog;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _deprecatedCounts = new();

    public EventCatalogSpecs()
    {
        _catalog = new EventCatalog([Active, Draft, Deprecated, Retired], new EventCatalogOptions
        {
            Time = _time, Logger = _log, WarningInterval = TimeSpan.FromMinutes(10), MeterScope = _scope,
        });
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EventCatalog.MeterName && ReferenceEquals(instrument.Meter.Scope, _scope))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Assert.Equal("millrace.events.deprecated", instrument.Name);
            var type = (string)tags.ToArray().Single(t => t.Key == "type").Value!;
            _deprecatedCounts[type] = _deprecatedCounts.GetValueOrDefault(type) + value;
        });
        _listener.Start();
    }

    [Fact]
    public void Active_and_draft_types_are_allowed_without_counting_or_warning()
    {
        var active = _catalog.Admit(Active.Subject);
        var draft = _catalog.Admit(Draft.Subject);
        Assert.Equal((EventAdmissionVerdict.Allowed, true, null), (active.Verdict, active.IsAccepted, active.Reason));
        Assert.Equal(EventAdmissionVerdict.Allowed, draft.Verdict);
        Assert.Same(Active, active.Type);
        Assert.Empty(_deprecatedCounts);
        Assert.Empty(_log.Messages);
    }

    [Fact]
    public void A_retired_type_is_refused_with_a_reason_naming_the_date_and_the_successor()
    {
        var admission = _catalog.Admit(Retired.Subject);
        Assert.Equal((EventAdmissionVerdict.Retired, false), (admission.Verdict, admission.IsAccepted));
        Assert.Equal("event type 'com.acme.quality.inspection.failed.v0' is retired since 2026-06-30; emit 'com.acme.quality.exception.raised.v1' instead",
            admission.Reason);
        Assert.Empty(_deprecatedCounts);
    }

    [Fact]
    public void A_type_outside_the_catalogue_is_unknown()
    {
        var admission = _catalog.Admit("com.acme.nothing.v1");
        Assert.Equal((EventAdmissionVerdict.Unknown, (EventType?)null, false), (admission.Verdict, admission.Type, admission.IsAccepted));
    }

    [Fact]
    public void A_deprecated_type_is_accepted_counted_every_time_and_warned_once_per_interval()
    {
        for (int i = 0; i < 5; i++)
        {
            var admission = _catalog.Admit(Deprecated.Subject);
            Assert.Equal((EventAdmissionVerdict.Deprecated, true), (admission.Verdict, admission.IsAccepted));
            Assert.Contains("will be retired after 2027-03-31; emit 'com.acme.production.completed.v1' instead", admission.Reason);
        }
        Assert.Equal(5, _deprecatedCounts[Deprecated.Subject]);
        var warning = Assert.Single(_log.Messages);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("com.acme.production.count.reported.v0", warning.Text);
        Assert.Contains("sunset 2027-03-31", warning.Text);

        _time.Advance(TimeSpan.FromMinutes(9));
        _catalog.Admit(Deprecated.Subject);
        Assert.Single(_log.Messages);

        _time.Advance(TimeSpan.FromMinutes(1));
        _catalog.Admit(Deprecated.Subject);
        Assert.Equal(2, _log.Messages.Count);
        Assert.Equal(7, _deprecatedCounts[Deprecated.Subject]);
    }

    [Fact]
    public void A_deprecated_type_emitted_after_its_sunset_is_still_accepted_but_the_warning_says_so()
    {
        _time.Advance(TimeSpan.FromDays(200)); // 2027-06-10, past 2027-03-31
        Assert.True(_catalog.Admit(Deprecated.Subject).IsAccepted);
        Assert.Contains("after its sunset date 2027-03-31", Assert.Single(_log.Messages).Text);
    }

    [Fact]
    public void The_acme_catalogue_has_a_deprecated_and_a_retired_type()
    {
        using var catalog = EventCatalog.FromDefinitions(AcmeCatalogue.Load());
        Assert.Equal(EventAdmissionVerdict.Deprecated, catalog.Admit("com.acme.production.count.reported.v0").Verdict);
        Assert.Equal(EventAdmissionVerdict.Retired, catalog.Admit("com.acme.quality.inspection.failed.v0").Verdict);
        Assert.Equal(EventAdmissionVerdict.Allowed, catalog.Admit("com.acme.production.completed.v1").Verdict);
        Assert.All(catalog.Types, t => Assert.Contains(t.Domain, EventLifecycles.Domains));
    }

    private static EventType Type(string subject, EventLifecycle lifecycle, DateOnly? sunset = null, string? replacedBy = null) =>
        new(subject, "mes-team", "production", lifecycle, sunset, replacedBy, ["gateway"], ["dashboard"], null, CompatibilityMode.Backward);

    public void Dispose()
    {
        _listener.Dispose();
        _catalog.Dispose();
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;

        public override long GetTimestamp() => _now.UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }

    /// <summary>Keeps every enabled log entry's level and formatted text.</summary>
    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add((logLevel, formatter(state, exception)));
    }
}
