using Millrace.Core.Model;
using Millrace.Hub.Processing.Context;

namespace Millrace.Hub.Processing.Rules;

/// <summary>What every rule of a shard shares: the model, the context source, the counters and the current sink.</summary>
internal sealed class ShardServices(EnterpriseModel model, IAssetContextSource context, RuleEngineCounters counters)
{
    public EnterpriseModel Model { get; } = model;
    public IAssetContextSource Context { get; } = context;
    public RuleEngineCounters Counters { get; } = counters;

    /// <summary>The sink of the call in progress (OnSample / AdvanceWatermark).</summary>
    public IRuleEventSink Sink { get; set; } = NullSink.Instance;

    public void Emit(RuleEvent ruleEvent)
    {
        Counters.EventsValue++;
        Sink.Emit(ruleEvent);
    }

    private sealed class NullSink : IRuleEventSink
    {
        public static readonly NullSink Instance = new();
        public void Emit(RuleEvent ruleEvent) { }
    }
}

/// <summary>
/// One rule's state in one shard, for the assets of the shard the rule applies to ("slots"). The engine calls it on
/// the shard's thread only, with samples of each asset in event-time order.
/// </summary>
internal abstract class RuleState(CompiledRule rule, ShardServices services, int[] assets)
{
    public CompiledRule Rule { get; } = rule;
    protected ShardServices Services { get; } = services;

    /// <summary>Global asset index of each slot.</summary>
    public int[] Assets { get; } = assets;

    /// <summary>A released sample of one of the slot's signals; <paramref name="role"/> says which (rule-specific).</summary>
    public abstract void OnSample(in RuleSampleContext context, int slot, int role);

    /// <summary>The shard's watermark passed <paramref name="watermarkMs"/>: close what is due.</summary>
    public virtual void OnWatermark(long watermarkMs)
    {
    }

    /// <summary>Writes the state of every slot.</summary>
    public abstract void Write(BinaryWriter writer);

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    public abstract void Read(BinaryReader reader);

    protected string AssetId(int slot) => Services.Model.GetAsset(Assets[slot]).Id;

    protected static void WriteString(BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null) w.Write(s);
    }

    protected static string? ReadString(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}

/// <summary>A rule of a signal of an asset: where a released sample goes.</summary>
internal readonly record struct RuleBinding(RuleState State, int Slot, int Role);
