using System.Collections.Concurrent;
using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Hub.Workflows.Definitions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Millrace.Hub.Workflows.Engine;

/// <summary>What sending one outbox command produced, after all its attempts.</summary>
/// <param name="Result">The last result.</param>
/// <param name="Attempts">Attempts spent (deferrals do not count).</param>
/// <param name="Deferrals">Times the target deferred the call (maintenance window, open circuit).</param>
/// <param name="Delays">The delays waited between attempts and on deferrals, in order (Retry-After honoured).</param>
public sealed record CallOutcome(ConnectorResult Result, int Attempts, int Deferrals, IReadOnlyList<TimeSpan> Delays, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);

/// <summary>
/// Sends a command through its connector with the step's retry policy (Polly.Core): exponential backoff with jitter
/// for retryable outcomes, the target's Retry-After as the delay when it gives one, a timeout per attempt. A deferred
/// outcome waits its Retry-After and tries again without spending an attempt.
/// </summary>
public sealed class CallRunner(TimeProvider time)
{
    private readonly ConcurrentDictionary<RetrySettings, ResiliencePipeline<ConnectorResult>> _retries = new();
    private readonly ConcurrentDictionary<long, ResiliencePipeline> _timeouts = new();

    /// <summary>Sends <paramref name="input"/> as <paramref name="operation"/> with key <paramref name="key"/>.</summary>
    public async Task<CallOutcome> RunAsync(IConnector connector, string operation, JsonElement input, string key, string? traceParent,
        RetrySettings retry, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        int attempts = 0, deferrals = 0;
        var delays = new List<TimeSpan>();
        var timeout = _timeouts.GetOrAdd(retry.TimeoutMs, ms => new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(TimeSpan.FromMilliseconds(Math.Max(1, ms))).Build());
        var pipeline = _retries.GetOrAdd(retry, Build);
        ConnectorResult result;
        try
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(DelaysKey, delays);
            try
            {
                result = await pipeline.ExecuteAsync(async ctx =>
                {
                    attempts++;
                    while (true)
                    {
                        var r = await timeout.ExecuteAsync(
                            async ct => await connector.InvokeAsync(new ConnectorCall(operation, input, key, traceParent, attempts), ct).ConfigureAwait(false),
                            ctx.CancellationToken).ConfigureAwait(false);
                        if (r.Outcome != ConnectorOutcome.Deferred) return r;
                        deferrals++;
                        var wait = r.RetryAfter is { } ra && ra > TimeSpan.Zero ? ra : TimeSpan.FromSeconds(1);
                        delays.Add(wait);
                        await Task.Delay(wait, time, ctx.CancellationToken).ConfigureAwait(false);
                    }
                }, context).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
        catch (TimeoutRejectedException)
        {
            result = new ConnectorResult(ConnectorOutcome.Retryable, Reason: $"no answer within {retry.TimeoutMs} ms (attempt {attempts} of {retry.MaxAttempts})");
        }
        return new CallOutcome(result, attempts, deferrals, delays, started, time.GetUtcNow());
    }

    private static readonly ResiliencePropertyKey<List<TimeSpan>> DelaysKey = new("millrace.workflow.delays");

    private ResiliencePipeline<ConnectorResult> Build(RetrySettings retry)
    {
        var builder = new ResiliencePipelineBuilder<ConnectorResult> { TimeProvider = time };
        if (retry.MaxAttempts > 1)
            builder.AddRetry(new RetryStrategyOptions<ConnectorResult>
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(Math.Max(1, retry.BackoffMs)),
                MaxDelay = TimeSpan.FromMilliseconds(Math.Max(retry.BackoffMs, retry.MaxBackoffMs)),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TimeoutRejectedException
                    || args.Outcome.Result?.Outcome == ConnectorOutcome.Retryable),
                // The target knows best when it can take the call again (429/503 Retry-After).
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter is { } ra && ra > TimeSpan.Zero ? ra : (TimeSpan?)null),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(DelaysKey, out var delays)) delays.Add(args.RetryDelay);
                    return default;
                },
            });
        return builder.Build();
    }
}
