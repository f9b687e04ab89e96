using System.Buffers;
using System.Diagnostics;
using Millrace.Core.Config;
using Millrace.Core.Model;
using Millrace.Core.Units;
using Millrace.Hub.DeadLetters;
using Millrace.Hub.Observability;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Sources.Mqtt;

/// <summary>
/// What a <c>kind: mqtt</c> source does with one message, whatever carried it (the embedded broker in process, or a
/// client connection to a plant broker): the topic names the asset through the source's topic-template, the payload
/// is one JSON sample or an array of them (<see cref="TelemetryBatchReader"/>'s contract without <c>asset</c>; with
/// <c>{signal}</c> in the template, without <c>signal</c> either: one value per topic, as many plant gateways publish).
/// Unknown topics, unknown assets, assets outside the source's scope and malformed payloads become dead letters with
/// the reason and the raw payload, under the source id, and are counted on <c>millrace.ingest.samples.rejected</c>.
/// Messages are handled one at a time (the transports guarantee it), so the scratch buffers are reused.
/// </summary>
internal sealed class MqttTelemetrySource : IMqttSource
{
    private const string ContentType = "application/json";
    private readonly TelemetryPipeline _pipeline;
    private readonly SqliteDeadLetterStore _deadLetters;
    private readonly HubTelemetry _telemetry;
    private readonly bool[] _inScope; // by catalogue asset: does the source's plants/lines scope admit it?
    private readonly Range[] _ranges;
    private readonly int _plant, _line, _asset, _signal; // placeholder positions; _signal -1 when the payload names the signal
    private readonly string? _fixedPlant; // a template without {plant}: the source's single plant
    private readonly List<PayloadError> _errors = [];
    private readonly List<SampleRejection> _rejections = [];
    private readonly KeyValuePair<string, object?> _sourceTag;
    private long _received, _accepted, _deadLettered;

    public MqttTelemetrySource(MqttSourceDefinition definition, EnterpriseModel model, TelemetryPipeline pipeline,
        SqliteDeadLetterStore deadLetters, HubTelemetry telemetry)
    {
        Definition = definition;
        _pipeline = pipeline;
        _deadLetters = deadLetters;
        _telemetry = telemetry;
        _sourceTag = new("source", definition.Id);
        var template = definition.TopicTemplate ?? throw new ArgumentException($"source '{definition.Id}' has no topic-template", nameof(definition));
        _ranges = new Range[template.Placeholders.Length];
        _plant = template.IndexOf("plant");
        _line = template.IndexOf("line");
        _asset = template.IndexOf("asset");
        _signal = template.IndexOf("signal");
        if (_plant < 0) _fixedPlant = definition.Plants.Length == 1 ? definition.Plants[0] : null;
        var catalog = pipeline.Catalog;
        _inScope = new bool[catalog.AssetCount];
        for (int i = 0; i < _inScope.Length; i++)
            _inScope[i] = model.TryGetAsset(catalog.AssetId(i), out Equipment? asset) ? definition.Accepts(asset) : definition.Plants.Length + definition.Lines.Length == 0;
    }

    /// <summary>The source's configuration.</summary>
    public MqttSourceDefinition Definition { get; }

    /// <summary>Messages handled.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Samples handed to the pipeline.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Dead letters written (one per refused message or per refused sample).</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Handles one message. Awaits the pipeline, so a slow hub slows the transport (back-pressure).</summary>
    public async ValueTask HandleAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _received);
        using var activity = HubTelemetry.IngestSource.StartActivity("ingest mqtt telemetry", ActivityKind.Consumer);
        activity?.SetTag("messaging.destination.name", topic);
        string? traceId = activity?.TraceId.ToString();
        int asset = ResolveAsset(topic, out string? refusal, out string? kind);
        if (refusal is not null)
        {
            await RefuseAsync(refusal, kind!, null, payload, traceId, cancellationToken).ConfigureAwait(false);
            return;
        }
        var catalog = _pipeline.Catalog;

        _errors.Clear();
        _rejections.Clear();
        var samples = TelemetrySamplePool.Shared.Rent(64);
        // With {signal} in the template the topic names the signal and the payload carries value/ts/unit/quality.
        var signal = _signal >= 0 ? topic.AsSpan()[_ranges[_signal]] : default;
        int count = TelemetryBatchReader.Read(new ReadOnlySequence<byte>(payload), catalog.AssetId(asset), signal, catalog, UnitCatalog.Default,
            ref samples, _errors, _rejections);
        if (_errors.Count > 0)
        {
            TelemetrySamplePool.Shared.Return(samples);
            string reason = $"malformed payload on '{topic}': " + string.Join("; ", _errors.Take(5).Select(e => (e.Pointer.Length == 0 ? "" : e.Pointer + ": ") + e.Reason))
                            + (_errors.Count > 5 ? $" (and {_errors.Count - 5} more)" : "");
            await RefuseAsync(reason, "malformed payload", _errors[0].Pointer, payload, traceId, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (_rejections.Count > 0)
        {
            var letters = _rejections.Select(r => new DeadLetter(0, default, Definition.Id, r.Reason + $" (topic '{topic}')", r.Pointer, ContentType, r.Raw, traceId)).ToList();
            await _deadLetters.StoreManyAsync(letters, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _deadLettered, letters.Count);
            _telemetry.SamplesRejected.Add(letters.Count, _sourceTag, new("reason", "unknown signal or unit"));
        }
        if (count > 0)
        {
            await _pipeline.PostAsync(samples, count, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _accepted, count);
            _telemetry.SamplesIngested.Add(count, _sourceTag);
        }
        else
        {
            TelemetrySamplePool.Shared.Return(samples);
        }
    }

    /// <summary>The catalogue asset <paramref name="topic"/> names, or -1 with the refusal's reason and kind (the metric tag).</summary>
    private int ResolveAsset(string topic, out string? refusal, out string? kind)
    {
        refusal = kind = null;
        if (!Definition.TopicTemplate!.TryMatch(topic, _ranges))
        {
            (refusal, kind) = ($"topic '{topic}' does not match the topic-template '{Definition.TopicTemplate!.Text}'", "unknown topic");
            return -1;
        }
        Span<char> buffer = stackalloc char[512];
        if (!TryComposeAsset(topic, buffer, out int length))
        {
            (refusal, kind) = ($"topic '{topic}' names no asset id this source can form (a template without {{plant}} needs a source scoped to one plant)", "unknown topic");
            return -1;
        }
        var catalog = _pipeline.Catalog;
        if (!catalog.TryFindAsset(buffer[..length], out int asset))
        {
            (refusal, kind) = ($"unknown asset '{buffer[..length]}' (from topic '{topic}')", "unknown asset");
            return -1;
        }
        if (!_inScope[asset])
        {
            (refusal, kind) = ($"asset '{catalog.AssetId(asset)}' is outside the scope of source '{Definition.Id}' ({DescribeScope()})", "out of scope");
            return -1;
        }
        return asset;
    }

    /// <summary>plant/line/asset from the topic's placeholder values: exactly the asset's full id (see <see cref="TopicTemplate"/>).</summary>
    private bool TryComposeAsset(ReadOnlySpan<char> topic, Span<char> buffer, out int length)
    {
        length = 0;
        var plant = _plant >= 0 ? topic[_ranges[_plant]] : _fixedPlant.AsSpan();
        if (plant.IsEmpty) return false;
        var line = topic[_ranges[_line]];
        var asset = topic[_ranges[_asset]];
        int total = plant.Length + line.Length + asset.Length + 2;
        if (total > buffer.Length) return false;
        plant.CopyTo(buffer);
        buffer[plant.Length] = '/';
        line.CopyTo(buffer[(plant.Length + 1)..]);
        buffer[plant.Length + 1 + line.Length] = '/';
        asset.CopyTo(buffer[(plant.Length + line.Length + 2)..]);
        length = total;
        return true;
    }

    private string DescribeScope()
        => string.Join("; ", new[]
        {
            Definition.Plants.Length > 0 ? "plants: " + string.Join(", ", Definition.Plants) : null,
            Definition.Lines.Length > 0 ? "lines: " + string.Join(", ", Definition.Lines) : null,
        }.Where(s => s is not null));

    private async ValueTask RefuseAsync(string reason, string kind, string? pointer, ReadOnlyMemory<byte> payload, string? traceId, CancellationToken cancellationToken)
    {
        // The transport may reuse its buffer once the handler returns: the dead letter keeps its own copy.
        await _deadLetters.StoreAsync(Definition.Id, reason, pointer, ContentType, payload.ToArray(), traceId, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _deadLettered);
        _telemetry.SamplesRejected.Add(1, _sourceTag, new("reason", kind));
    }
}
