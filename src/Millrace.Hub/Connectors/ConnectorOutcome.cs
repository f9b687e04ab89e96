namespace Millrace.Hub.Connectors;

/// <summary>How a connector call ended.</summary>
public enum ConnectorOutcome
{
    /// <summary>Done: the document exists in the target (created now, or found because the key was seen before).</summary>
    Succeeded,

    /// <summary>Failed in a way another attempt may fix (timeout, 429, 5xx, connection refused, concurrent modification); spends an attempt.</summary>
    Retryable,

    /// <summary>Failed in a way no retry fixes (validation error, unknown material, access denied); goes to the dead letters.</summary>
    Permanent,

    /// <summary>
    /// Not attempted because the target is known to be unavailable (maintenance window, open circuit);
    /// try again after <see cref="ConnectorResult.RetryAfter"/>. Does not spend an attempt.
    /// </summary>
    Deferred,
}
