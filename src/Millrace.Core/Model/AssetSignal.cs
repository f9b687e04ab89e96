namespace Millrace.Core.Model;

/// <summary>
/// One (asset, signal) pair of an <see cref="EnterpriseModel"/> with its dense index. The signals of one asset have
/// consecutive indices, so per-signal state lives in flat arrays.
/// </summary>
/// <param name="Index">Dense index 0..<see cref="EnterpriseModel.SignalCount"/>-1.</param>
/// <param name="Asset">The asset.</param>
/// <param name="Definition">The effective signal definition.</param>
/// <param name="NameId">Dense index of the signal name among all distinct signal names of the model.</param>
/// <param name="Key">The signal key, <c>asset-id:signal-name</c>.</param>
public sealed record AssetSignal(int Index, Equipment Asset, SignalDefinition Definition, int NameId, string Key)
{
    /// <summary>The signal name.</summary>
    public string Name => Definition.Name;
}
