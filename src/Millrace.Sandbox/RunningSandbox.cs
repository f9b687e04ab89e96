using Microsoft.AspNetCore.Builder;

namespace Millrace.Sandbox;

/// <summary>A started sandbox: its address, its systems (to inspect or switch behaviour in process), and its stop.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyDictionary<string, SandboxSystem> _systems;

    internal RunningSandbox(WebApplication app, Uri baseAddress, IReadOnlyDictionary<string, SandboxSystem> systems)
    {
        _app = app;
        BaseAddress = baseAddress;
        _systems = systems;
    }

    /// <summary>Where the sandbox listens, ending in '/': <c>http://127.0.0.1:PORT/</c>; systems are under <c>erp/</c>, <c>eam/</c>, ….</summary>
    public Uri BaseAddress { get; }

    /// <summary>The address of one system, ending in '/': <c>http://127.0.0.1:PORT/erp/</c>.</summary>
    public Uri AddressOf(string system) => new(BaseAddress, system + "/");

    /// <summary>One system's state and behaviour.</summary>
    public SandboxSystem System(string id) => _systems.TryGetValue(id, out var s) ? s : throw new ArgumentException($"no sandbox system '{id}'", nameof(id));

    /// <summary>Stops serving.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
