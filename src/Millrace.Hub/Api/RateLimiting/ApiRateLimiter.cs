using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Api.Clients;

namespace Millrace.Hub.Api.RateLimiting;

/// <summary>
/// Per-client, per-API request budgets: one token bucket per (client, API) pair from a
/// <see cref="PartitionedRateLimiter"/>, sized by the client's <c>rate-limit:</c>. Every answer carries the IETF
/// <c>RateLimit-Policy</c> and <c>RateLimit</c> fields, a refusal also <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// Header syntax follows draft-ietf-httpapi-ratelimit-headers-10 (September 2025; -11, May 2026, keeps it): both
/// fields are structured-field lists of named policies, <c>RateLimit-Policy: "client-api";q=100;w=1</c> (quota
/// <c>q</c> per window <c>w</c> seconds) and <c>RateLimit: "client-api";r=0;t=1</c> (remaining <c>r</c>, seconds
/// until the quota resets <c>t</c>).
/// </remarks>
public sealed class ApiRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(ApiClient Client, string Api)> _limiter;

    /// <summary>A limiter over the clients' declared budgets.</summary>
    public ApiRateLimiter(TimeProvider time)
    {
        _ = time; // token buckets replenish on their own timer; the time provider is kept for symmetry with the stores
        _limiter = PartitionedRateLimiter.Create<(ApiClient Client, string Api), (string, string)>(key =>
            RateLimitPartition.GetTokenBucketLimiter((key.Client.Id, key.Api), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = key.Client.RateLimit.Requests,
                TokensPerPeriod = key.Client.RateLimit.Requests,
                ReplenishmentPeriod = key.Client.RateLimit.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>
    /// Takes one permit for <paramref name="client"/> on <paramref name="api"/>, writing the rate-limit fields; false
    /// (and <c>Retry-After</c> written) when the budget is spent.
    /// </summary>
    public bool TryAcquire(ApiClient client, string api, HttpResponse response)
    {
        using var lease = _limiter.AttemptAcquire((client, api));
        var limit = client.RateLimit;
        int window = Math.Max(1, (int)Math.Ceiling(limit.Window.TotalSeconds));
        string policy = "\"" + api.Replace('/', '-') + "\"";
        response.Headers["RateLimit-Policy"] = $"{policy};q={limit.Requests};w={window}";
        var stats = _limiter.GetStatistics((client, api));
        long remaining = stats?.CurrentAvailablePermits ?? 0;
        int retryAfter = window;
        if (!lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait))
            retryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        response.Headers["RateLimit"] = $"{policy};r={remaining};t={(lease.IsAcquired ? window : retryAfter)}";
        if (lease.IsAcquired) return true;
        response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return false;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
