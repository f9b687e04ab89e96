using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Millrace.Hub.Connectors.Configuration;

/// <summary>What connectors get from the hub when they are created: clock, logging, metrics scope, secrets' folder, and
/// where <c>sandbox://</c> URLs point.</summary>
public sealed record ConnectorEnvironment
{
    /// <summary>The environment variable naming the sandbox's base address when the hub did not start it itself (<c>millrace sandbox</c> in another process).</summary>
    public const string SandboxUrlVariable = "MILLRACE_SANDBOX_URL";

    /// <summary>Clock of timeouts, breaker and maintenance windows (a manual one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Loggers.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Scope of the connectors' meter (the hub's telemetry instance), so a hub's /metrics shows only its own.</summary>
    public object? MeterScope { get; init; }

    /// <summary>The configuration folder: relative <c>file:</c> credentials are read from it.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>The sandbox's base address (<c>http://127.0.0.1:PORT/</c>) when the hub started it in process (the demo); otherwise <see cref="SandboxUrlVariable"/> is read.</summary>
    public Uri? SandboxAddress { get; init; }

    /// <summary>The HTTP handler connectors share (one connection pool per hub); null: a new <see cref="SocketsHttpHandler"/> per connector.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>
    /// The absolute base URL of a connector, ending in '/': <c>sandbox://erp</c> becomes <c>{sandbox}/erp/</c>.
    /// Throws <see cref="InvalidOperationException"/> for a sandbox URL when no sandbox address is known.
    /// </summary>
    public Uri ResolveUrl(string url)
    {
        if (url.StartsWith("sandbox://", StringComparison.Ordinal))
        {
            var root = SandboxAddress ?? (Environment.GetEnvironmentVariable(SandboxUrlVariable) is { Length: > 0 } v ? new Uri(v.TrimEnd('/') + "/") : null)
                ?? throw new InvalidOperationException($"'{url}' names a sandbox system, but no sandbox is running: start the demo, or run 'millrace sandbox' and set {SandboxUrlVariable}");
            return new Uri(root, url["sandbox://".Length..].Trim('/') + "/");
        }
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }
}
