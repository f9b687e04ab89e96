using System.Security.Cryptography;
using System.Text;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>
/// Deterministic ids: the instance a trigger event starts, and the idempotency key of each command. Name-based
/// UUIDs (version 5 layout over SHA-256 of the names), so the same business fact gives the same key in every
/// process, after every restart and replay — which is what lets the target systems de-duplicate.
/// </summary>
public static class WorkflowKeys
{
    /// <summary>The instance id for <paramref name="workflowId"/> started by the event <paramref name="eventId"/>.</summary>
    public static string InstanceId(string workflowId, string eventId) => NameUuid("instance", workflowId, eventId);

    /// <summary>The idempotency key of a step's command: one per workflow, instance, step and iteration (and kind: the compensation is another fact).</summary>
    public static string Command(string workflowId, string instanceId, string stepId, int iteration, bool compensation = false)
        => NameUuid(compensation ? "compensate" : "call", workflowId, instanceId, stepId, iteration.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string NameUuid(params string[] names)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', names)));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
