using System.Collections.Concurrent;
using System.Text.Json;
using Millrace.Core.Events;
using Millrace.Hub.Log;
using Millrace.Log;

namespace Millrace.Hub.Api.Projections;

/// <summary>
/// The read side of the capability APIs: a consumer of the business event log that folds production orders
/// (<c>production.order.released</c>, <c>production.completed</c>), inventory (<c>inventory.adjusted</c>, good
/// quantities of <c>production.completed</c>) and asset states (<c>asset.state.changed</c>) into in-memory read
/// models. At start it replays the whole log, then follows every durable append; the log is the persisted form, so a
/// restarted hub answers the same. Events are applied once by id (replay and live appends may overlap at start).
/// </summary>
public sealed class BusinessProjections : IDisposable
{
    private readonly ConcurrentDictionary<string, ProductionOrderView> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Material, string Plant), ConcurrentDictionary<string, double>> _stock = new();
    private readonly ConcurrentDictionary<(string Material, string Plant), DateTimeOffset> _stockChanged = new();
    private readonly ConcurrentDictionary<string, (string State, DateTimeOffset At)> _assetStates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _applied = new(StringComparer.Ordinal);
    private readonly Lock _fold = new();
    private readonly BusinessEventLog _log;

    /// <summary>Follows <paramref name="log"/> from now on; call <see cref="ReplayAsync"/> to fold what is already there.</summary>
    public BusinessProjections(BusinessEventLog log)
    {
        _log = log;
        log.Appended += OnAppended;
    }

    /// <summary>Events folded so far.</summary>
    public long Applied => _applied.Count;

    /// <summary>Folds every event already in the log.</summary>
    public async Task ReplayAsync(CancellationToken cancellationToken = default)
    {
        var info = await _log.Log.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        for (int p = 0; p < _log.Log.PartitionCount; p++)
        {
            long from = info.Partitions[p].StartOffset;
            while (true)
            {
                var batch = await _log.Log.ReadAsync(p, from, 1000, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0) break;
                foreach (var entry in batch)
                {
                    var errors = new List<CloudEventError>();
                    if (CloudEventJsonReader.TryParse(entry.Record.Payload.Span, out var e, errors)) Apply(e!);
                }
                from = batch[^1].Position.Offset + 1;
            }
        }
    }

    /// <summary>A production order, or null when the log never released it.</summary>
    public ProductionOrderView? Order(string orderId) => _orders.TryGetValue(orderId, out var o) ? o : null;

    /// <summary>Stock of a material at a plant (empty when nothing is known).</summary>
    public InventoryAvailabilityView Availability(string material, string plant)
    {
        var quantities = _stock.TryGetValue((material, plant), out var byUnit)
            ? byUnit.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new QuantityView(kv.Value, kv.Key)).ToList() : [];
        return new InventoryAvailabilityView(material, plant, quantities, _stockChanged.TryGetValue((material, plant), out var at) ? at : null);
    }

    /// <summary>The live state of an asset, if an <c>asset.state.changed</c> event told it.</summary>
    public (string State, DateTimeOffset At)? AssetState(string asset) => _assetStates.TryGetValue(asset, out var s) ? s : null;

    private void OnAppended(IReadOnlyList<CloudEvent> events)
    {
        foreach (var e in events) Apply(e);
    }

    private void Apply(CloudEvent e)
    {
        if (e.DataKind != CloudEventDataKind.Json || !_applied.TryAdd(e.Type + "\n" + e.Id, 0)) return;
        string type = e.Type;
        try
        {
            using var doc = JsonDocument.Parse(e.Data);
            var d = doc.RootElement;
            lock (_fold)
            {
                if (type.EndsWith(".production.order.released.v1", StringComparison.Ordinal)) Released(d);
                else if (type.EndsWith(".production.completed.v1", StringComparison.Ordinal)) Completed(d, e.Time);
                else if (type.EndsWith(".inventory.adjusted.v1", StringComparison.Ordinal)) Adjusted(d);
                else if (type.EndsWith(".asset.state.changed.v1", StringComparison.Ordinal))
                    _assetStates[d.GetProperty("asset").GetString()!] = (d.GetProperty("state").GetString()!, d.GetProperty("changedAt").GetDateTimeOffset());
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Admitted events are schema-valid; an event of an older shape simply does not move the read model.
        }
    }

    private void Released(JsonElement d)
    {
        string id = d.GetProperty("orderId").GetString()!;
        var q = d.GetProperty("plannedQuantity");
        _orders.AddOrUpdate(id,
            _ => new ProductionOrderView(id, d.GetProperty("plant").GetString()!, d.GetProperty("material").GetString()!,
                new QuantityView(q.GetProperty("value").GetDouble(), q.GetProperty("unit").GetString()!), "released", 0, 0,
                d.GetProperty("releasedAt").GetDateTimeOffset(), null, d.TryGetProperty("line", out var l) ? l.GetString() : null),
            (_, old) => old with { Planned = new QuantityView(q.GetProperty("value").GetDouble(), q.GetProperty("unit").GetString()!),
                ReleasedAt = d.GetProperty("releasedAt").GetDateTimeOffset() });
    }

    private void Completed(JsonElement d, DateTimeOffset? time)
    {
        string id = d.GetProperty("orderId").GetString()!;
        double good = d.GetProperty("good").GetDouble(), scrap = d.GetProperty("scrap").GetDouble();
        var at = d.GetProperty("completedAt").GetDateTimeOffset();
        if (_orders.TryGetValue(id, out var o))
        {
            double confirmed = o.ConfirmedGood + good;
            _orders[id] = o with
            {
                ConfirmedGood = confirmed, ConfirmedScrap = o.ConfirmedScrap + scrap, LastConfirmationAt = at,
                Status = confirmed >= o.Planned.Value ? "completed" : "in-progress",
            };
        }
        AddStock(d.GetProperty("material").GetString()!, d.GetProperty("plant").GetString()!, d.GetProperty("unit").GetString()!, good, time ?? at);
    }

    private void Adjusted(JsonElement d)
    {
        string location = d.GetProperty("storageLocation").GetString()!;
        int slash = location.IndexOf('/');
        string plant = slash > 0 ? location[..slash] : location;
        var delta = d.GetProperty("delta");
        AddStock(d.GetProperty("material").GetString()!, plant, delta.GetProperty("unit").GetString()!, delta.GetProperty("value").GetDouble(),
            d.GetProperty("adjustedAt").GetDateTimeOffset());
    }

    private void AddStock(string material, string plant, string unit, double delta, DateTimeOffset at)
    {
        var byUnit = _stock.GetOrAdd((material, plant), _ => new ConcurrentDictionary<string, double>(StringComparer.Ordinal));
        byUnit.AddOrUpdate(unit, delta, (_, v) => v + delta);
        _stockChanged[(material, plant)] = at;
    }

    /// <inheritdoc />
    public void Dispose() => _log.Appended -= OnAppended;
}
