using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Millrace.Core;
using Millrace.Core.Events;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Governance.Rules;
using Millrace.Hub.Log;
using Millrace.Hub.Observability;
using Millrace.Log;
using Millrace.Schema;

namespace Millrace.Hub.Governance.Admission;

/// <summary>
/// The admission gate of the durable log: every business event — ingested over HTTP or MQTT, emitted by a rule,
/// resubmitted by an operator — passes <see cref="AdmitAsync(IReadOnlyList{EventSubmission}, CancellationToken)"/>
/// before it is appended. In order: the envelope is a CloudEvent; its <c>type</c> is a registry subject; its
/// <c>dataschema</c> (a registry URI, else the subject's latest version) names a registered version; <c>data</c> is
/// valid against that version (compiled validators cached per subject and version, formats asserted); its <c>plant</c>
/// is known and within the delivering source's scope; every business rule of its type holds. Admitted events are
/// appended together; refused ones are quarantined with every error, the raw payload, the source, the time and the
/// trace. Nothing invalid enters the log, and one bad event never holds back the good ones beside it.
/// </summary>
public sealed partial class AdmissionGate
{
    /// <summary>The metric <c>type</c> label of events whose type has no subject (unbounded text stays out of labels).</summary>
    public const string UnknownTypeLabel = "(unknown)";

    private readonly SchemaRegistry _registry;
    private readonly BusinessRuleSet _rules;
    private readonly BusinessEventLog _log;
    private readonly SqliteQuarantineStore _quarantine;
    private readonly HubTelemetry _telemetry;
    private readonly Func<string, bool>? _isPlant;
    private readonly ILogger _logger;
    private readonly EventCatalog? _catalog;
    private readonly ConcurrentDictionary<string, (long Generation, int Version)> _latest = new(StringComparer.Ordinal);

    /// <summary>A gate over the registry and rules, appending to <paramref name="log"/> and quarantining into <paramref name="quarantine"/>.</summary>
    /// <param name="registry">Subjects, versions and cached validators.</param>
    /// <param name="rules">Business rules per event type.</param>
    /// <param name="log">Where admitted events go.</param>
    /// <param name="quarantine">Where refused events go.</param>
    /// <param name="telemetry">Admitted / quarantined counters.</param>
    /// <param name="isPlant">Whether a <c>plant</c> id is known to the enterprise configuration; null skips the check.</param>
    /// <param name="logger">Refusals are logged at warning level.</param>
    /// <param name="catalog">The event catalogue: a retired type is refused (<c>retired</c>), a deprecated one admitted,
    /// counted and warned about by the catalogue; null skips lifecycle checks.</param>
    public AdmissionGate(SchemaRegistry registry, BusinessRuleSet rules, BusinessEventLog log, SqliteQuarantineStore quarantine,
        HubTelemetry telemetry, Func<string, bool>? isPlant, ILogger<AdmissionGate> logger, EventCatalog? catalog = null)
    {
        _catalog = catalog;
        _registry = registry;
        _rules = rules;
        _log = log;
        _quarantine = quarantine;
        _telemetry = telemetry;
        _isPlant = isPlant;
        _logger = logger;
    }

    /// <summary>The quarantine refused events go to.</summary>
    public SqliteQuarantineStore Quarantine => _quarantine;

    /// <summary>The business rules applied.</summary>
    public BusinessRuleSet Rules => _rules;

    /// <summary>
    /// Decides about one submission: nothing is appended or stored (a deprecated type is counted and warned about by
    /// the catalogue, as every use of it is).
    /// </summary>
    public AdmissionVerdict Check(EventSubmission submission)
    {
        if (submission.Event is not { } e)
        {
            var envelope = submission.EnvelopeErrors.Count > 0
                ? submission.EnvelopeErrors.Select(x => new AdmissionError(x.Pointer, "", x.Reason)).ToList()
                : [new AdmissionError("", "", "not a CloudEvent")];
            return AdmissionVerdict.Refuse(AdmissionReasons.Envelope, envelope);
        }
        return Check(e, submission.AllowedPlants);
    }

    /// <summary>Decides about one parsed event (see the class summary for the order of checks).</summary>
    public AdmissionVerdict Check(CloudEvent e, IReadOnlyCollection<string>? allowedPlants = null)
    {
        string subject = e.Type;
        if (_catalog?.Admit(subject) is { Verdict: EventAdmissionVerdict.Retired } retired)
            return AdmissionVerdict.Refuse(AdmissionReasons.Retired, [new AdmissionError("/type", "", retired.Reason ?? $"event type '{subject}' is retired")], subject);
        if (!TryResolveVersion(e, out int version, out var schemaError))
            return _registry.GetSubject(subject) is null ? UnknownType(subject) : AdmissionVerdict.Refuse(AdmissionReasons.UnknownSchema, [schemaError!], subject);
        var validator = _registry.GetValidator(subject, version);
        if (validator is null)
            return _registry.GetSubject(subject) is null ? UnknownType(subject) : AdmissionVerdict.Refuse(AdmissionReasons.UnknownSchema,
                [new AdmissionError("/dataschema", "", $"subject '{subject}' has no version {version}")], subject);
        if (e.DataKind != CloudEventDataKind.Json || !IsJsonContentType(e.DataContentType))
            return AdmissionVerdict.Refuse(AdmissionReasons.Schema,
                [new AdmissionError(e.DataKind == CloudEventDataKind.Binary ? "/data_base64" : e.DataKind == CloudEventDataKind.None ? "/data" : "/datacontenttype", "",
                    e.DataKind == CloudEventDataKind.None ? "the event carries no 'data'; governed events carry JSON data"
                    : e.DataKind == CloudEventDataKind.Binary ? "governed events carry JSON 'data', not 'data_base64'"
                    : $"datacontenttype '{e.DataContentType}' is not JSON; governed events carry JSON data")], subject, version);

        using var document = JsonDocument.Parse(e.Data); // the envelope reader already checked it is one JSON value
        var data = document.RootElement;
        if (!validator.IsValid(data)) // fast path first; the full output only for the refused
        {
            var result = validator.Validate(data);
            var errors = result.Errors.Select(x => new AdmissionError("/data" + x.InstanceLocation, x.KeywordLocation, x.Message)).ToList();
            return AdmissionVerdict.Refuse(AdmissionReasons.Schema, errors, subject, version);
        }
        if (e.Plant is { } plant)
        {
            if (_isPlant is not null && !_isPlant(plant))
                return AdmissionVerdict.Refuse(AdmissionReasons.Reference, [new AdmissionError("/plant", "", $"unknown plant '{plant}'")], subject, version);
            if (allowedPlants is { Count: > 0 } && !allowedPlants.Contains(plant))
                return AdmissionVerdict.Refuse(AdmissionReasons.Scope,
                    [new AdmissionError("/plant", "", $"plant '{plant}' is outside the scope of this source (plants: {string.Join(", ", allowedPlants)})")], subject, version);
        }
        var violations = _rules.Violations(e, data);
        if (violations.Count > 0)
            return AdmissionVerdict.Refuse(AdmissionReasons.Rule, violations.Select(v => v.Error).ToList(), subject, version, violations[0].Rule.Name);
        return AdmissionVerdict.Admit(subject, version);
    }

    /// <summary>
    /// Admits what passes and quarantines what does not, one outcome per submission in order. Refused events are
    /// committed to the quarantine first, then the admitted ones are appended to the log together (in order) and the
    /// call completes once both are durable.
    /// </summary>
    public async ValueTask<IReadOnlyList<AdmissionResult>> AdmitAsync(IReadOnlyList<EventSubmission> submissions, CancellationToken cancellationToken = default)
    {
        using var activity = HubTelemetry.IngestSource.StartActivity("admit events");
        var verdicts = new AdmissionVerdict[submissions.Count];
        var admitted = new List<CloudEvent>();
        var refused = new List<QuarantineEntry>();
        for (int i = 0; i < submissions.Count; i++)
        {
            verdicts[i] = Check(submissions[i]);
            if (verdicts[i].Admitted) admitted.Add(submissions[i].Event!);
            else refused.Add(new QuarantineEntry(submissions[i], verdicts[i]));
        }
        var ids = await _quarantine.StoreManyAsync(refused, cancellationToken).ConfigureAwait(false);
        var positions = admitted.Count == 0 ? [] : await _log.AppendAsync(admitted, cancellationToken).ConfigureAwait(false);
        var results = new AdmissionResult[submissions.Count];
        int a = 0, q = 0;
        for (int i = 0; i < submissions.Count; i++)
        {
            var s = submissions[i];
            if (verdicts[i].Admitted)
            {
                results[i] = new AdmissionResult(verdicts[i], s.Event!.Id, positions[a++], null);
                _telemetry.EventsAdmitted.Add(1, new("type", s.Event.Type), new("source", s.Source));
            }
            else
            {
                long id = ids[q++];
                results[i] = new AdmissionResult(verdicts[i], s.Event?.Id, null, id);
                _telemetry.EventsQuarantined.Add(1, new("type", TypeLabel(s, verdicts[i])), new("reason", verdicts[i].ReasonClass), new("source", s.Source));
                LogQuarantined(_logger, id, s.Source, s.Event?.Type ?? "(none)", s.Event?.Id ?? "(none)", verdicts[i].Reason!);
            }
        }
        activity?.SetTag("millrace.events.admitted", admitted.Count);
        activity?.SetTag("millrace.events.quarantined", refused.Count);
        return results;
    }

    /// <summary>
    /// For producers that append admitted events themselves inside their own durability protocol (the rule emitter's
    /// group append, whose checkpoints wait for it): the same checks as <see cref="AdmitAsync(EventSubmission, CancellationToken)"/>;
    /// a refused event is quarantined under <paramref name="source"/> (durably, before this completes) and counted.
    /// Returns whether the caller may append it.
    /// </summary>
    public async ValueTask<bool> ScreenAsync(CloudEvent cloudEvent, string source, CancellationToken cancellationToken = default)
    {
        string? traceId = TraceParentFormat.TryParse(cloudEvent.TraceParent, out var trace) ? trace.TraceId.ToString() : null;
        var submission = EventSubmission.From(source, cloudEvent, traceId);
        var verdict = Check(submission);
        if (verdict.Admitted)
        {
            _telemetry.EventsAdmitted.Add(1, new("type", cloudEvent.Type), new("source", source));
            return true;
        }
        var ids = await _quarantine.StoreManyAsync([new QuarantineEntry(submission, verdict)], cancellationToken).ConfigureAwait(false);
        _telemetry.EventsQuarantined.Add(1, new("type", TypeLabel(submission, verdict)), new("reason", verdict.ReasonClass), new("source", source));
        LogQuarantined(_logger, ids[0], source, cloudEvent.Type, cloudEvent.Id, verdict.Reason!);
        return false;
    }

    /// <summary>Admits or quarantines one submission.</summary>
    public async ValueTask<AdmissionResult> AdmitAsync(EventSubmission submission, CancellationToken cancellationToken = default)
        => (await AdmitAsync([submission], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// The path for events built in process (a rule's output): the same checks, then appended or quarantined under
    /// <paramref name="source"/> (e.g. <c>rule:vibration-high</c>). The current activity's trace id is recorded.
    /// </summary>
    public ValueTask<AdmissionResult> AdmitAsync(CloudEvent cloudEvent, string source, CancellationToken cancellationToken = default)
        => AdmitAsync(EventSubmission.From(source, cloudEvent, Activity.Current?.TraceId.ToString()), cancellationToken);

    private static AdmissionVerdict UnknownType(string type) => AdmissionVerdict.Refuse(AdmissionReasons.UnknownType,
        [new AdmissionError("/type", "", $"event type '{type}' has no subject in the schema registry")]);

    private bool TryResolveVersion(CloudEvent e, out int version, out AdmissionError? error)
    {
        error = null;
        version = 0;
        if (e.DataSchema is { } uri)
        {
            if (!DataSchemaReference.TryParse(uri, out var subject, out version, out var why))
            {
                error = new AdmissionError("/dataschema", "", why);
                return false;
            }
            if (subject != e.Type)
            {
                error = new AdmissionError("/dataschema", "", $"dataschema names subject '{subject}' but the event type is '{e.Type}'");
                return false;
            }
            return true;
        }
        long generation = _registry.Generation;
        if (_latest.TryGetValue(e.Type, out var cached) && cached.Generation == generation)
        {
            version = cached.Version;
            return true;
        }
        var latest = _registry.GetLatest(e.Type);
        if (latest is null)
        {
            error = new AdmissionError("/type", "", $"subject '{e.Type}' has no schema version yet");
            return false;
        }
        _latest[e.Type] = (generation, latest.Version);
        version = latest.Version;
        return true;
    }

    private static bool IsJsonContentType(string? contentType)
    {
        if (contentType is null) return true; // the JSON format's default for 'data'
        var media = contentType.AsSpan();
        int semicolon = media.IndexOf(';');
        if (semicolon >= 0) media = media[..semicolon];
        media = media.Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Equals("text/json", StringComparison.OrdinalIgnoreCase)
               || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string TypeLabel(EventSubmission s, AdmissionVerdict v) =>
        v.Subject ?? (v.ReasonClass == AdmissionReasons.UnknownType || s.Event is null ? UnknownTypeLabel : s.Event.Type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined event {QuarantineId} from {Source} (type {EventType}, id {EventId}): {Reason}")]
    private static partial void LogQuarantined(ILogger logger, long quarantineId, string source, string eventType, string eventId, string reason);
}
