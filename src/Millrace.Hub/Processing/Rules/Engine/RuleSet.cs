using System.Collections.Immutable;
using Millrace.Core.Model;
using Millrace.Hub.Processing.Context;

namespace Millrace.Hub.Processing.Rules;

/// <summary>
/// The rules of a configuration compiled for an enterprise model: conditions compiled to delegates, overrides and
/// storage-location limits folded into per-asset parameters. Build once at start-up (or on reload), then create one
/// engine per shard with <see cref="CreateShard"/>. Thread-safe; the shard engines are not (one thread each).
/// </summary>
public sealed class RuleSet
{
    private readonly ImmutableArray<CompiledRule> _rules;

    private RuleSet(RuleBook book, EnterpriseModel model, ImmutableArray<CompiledRule> rules)
    {
        Book = book;
        Model = model;
        _rules = rules;
        Fingerprint = ComputeFingerprint(book, model);
    }

    /// <summary>The rules as configured.</summary>
    public RuleBook Book { get; }

    /// <summary>The model the rules were compiled for; sample asset and signal indices are its indices.</summary>
    public EnterpriseModel Model { get; }

    /// <summary>
    /// Identifies the shape of the state (rule ids and kinds, assets, signals): a checkpoint restores only into a rule
    /// set with the same fingerprint.
    /// </summary>
    public ulong Fingerprint { get; }

    /// <summary>Compiles <paramref name="book"/> (from a validated configuration) for <paramref name="model"/>.</summary>
    /// <exception cref="Millrace.Core.Expressions.ExpressionException">A condition does not compile (a configuration that was not validated).</exception>
    public static RuleSet Compile(RuleBook book, EnterpriseModel model)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(model);
        return new RuleSet(book, model, [.. book.Rules.Select(r => new CompiledRule(r, model))]);
    }

    /// <summary>
    /// The engine of shard <paramref name="shard"/> of <paramref name="shardCount"/>: it owns the assets with
    /// <c>asset % shardCount == shard</c>, as the telemetry pipeline partitions them.
    /// </summary>
    public IShardRuleEngine CreateShard(int shard, int shardCount, IAssetContextSource context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, shardCount);
        ArgumentNullException.ThrowIfNull(context);
        return new ShardRuleEngine(this, _rules, shard, shardCount, context);
    }

    /// <summary>Number of (rule, asset) pairs the rules run for, over all shards.</summary>
    public int RuleInstances => _rules.Sum(r => r.Applies.Count(x => x));

    private static ulong ComputeFingerprint(RuleBook book, EnterpriseModel model)
    {
        var text = new System.Text.StringBuilder();
        text.Append(model.AssetCount).Append('/').Append(model.SignalCount).Append('/');
        foreach (var rule in book.Rules) text.Append(rule.Id).Append(':').Append(rule.Kind).Append(';');
        for (int a = 0; a < model.AssetCount; a++) text.Append(model.GetAsset(a).Id).Append(',');
        return FactIds.Hash(text.ToString());
    }
}
