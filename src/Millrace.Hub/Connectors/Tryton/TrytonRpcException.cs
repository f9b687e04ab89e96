namespace Millrace.Hub.Connectors.Tryton;

/// <summary>
/// A JSON-RPC call to trytond that failed, already classified: <see cref="Retryable"/> when another attempt may
/// succeed (connection refused, timeout, 5xx, 429/503, concurrent modification, database locked), permanent otherwise
/// (user errors, access errors, unknown model or method, refused login).
/// </summary>
public sealed class TrytonRpcException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrytonRpcException(string reason, bool retryable, string? errorClass = null, int? statusCode = null,
        TimeSpan? retryAfter = null, string? request = null, string? response = null, Exception? inner = null)
        : base(reason, inner)
    {
        Retryable = retryable;
        ErrorClass = errorClass;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        Request = request;
        Response = response;
    }

    /// <summary>True when another attempt may succeed.</summary>
    public bool Retryable { get; }

    /// <summary>Tryton's error class (<c>UserError</c>, <c>UserWarning</c>, <c>ConcurrencyException</c>, …) when it sent one.</summary>
    public string? ErrorClass { get; }

    /// <summary>For a <c>UserWarning</c>, the warning's name (what <c>res.user.warning</c> acknowledges).</summary>
    public string? WarningName { get; init; }

    /// <summary>The HTTP status, when the failure came with one.</summary>
    public int? StatusCode { get; }

    /// <summary>The server's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The JSON-RPC request as sent (the login request is never recorded: it carries the password).</summary>
    public string? Request { get; }

    /// <summary>The response, truncated.</summary>
    public string? Response { get; }
}
