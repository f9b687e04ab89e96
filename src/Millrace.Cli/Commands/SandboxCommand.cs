using System.CommandLine;
using System.Net.Sockets;
using Millrace.Sandbox;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace sandbox</c>: the sandbox enterprise systems (ERP, EAM, QMS, WMS, field service) alone on 127.0.0.1, until
/// Ctrl-C — so chaos tests can kill and restart the hub while the "enterprise" keeps its documents. Point a hub at it
/// with <c>MILLRACE_SANDBOX_URL=http://127.0.0.1:PORT</c> (for <c>url: sandbox://…</c> connectors).
/// </summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port on 127.0.0.1 (0: a free one, printed).", DefaultValueFactory = _ => 5090 };
        var strict = new Option<bool>("--strict-orders") { Description = "Refuse confirmations for production orders the ERP does not know (default: register them)." };
        var command = new Command("sandbox", "Run the sandbox enterprise systems (erp, eam, qms, wms, field-service) over HTTP until Ctrl-C.") { port, strict };
        command.SetAction(async (parse, ct) =>
        {
            RunningSandbox sandbox;
            try
            {
                sandbox = await SandboxSystems.StartAsync(new SandboxOptions { Port = parse.GetValue(port), AcceptUnknownOrders = !parse.GetValue(strict) }, ct);
            }
            catch (IOException e) when (e.InnerException is SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"sandbox: cannot listen on port {parse.GetValue(port)}: {e.Message}");
                return 1;
            }
            await using (sandbox)
            {
                var root = sandbox.BaseAddress.ToString().TrimEnd('/');
                Console.Out.WriteLine($"Millrace sandbox at {root}: {string.Join(", ", SandboxSystems.Ids.Select(id => $"{root}/{id}/"))}");
                Console.Out.WriteLine($"behaviour: POST {root}/_sandbox/{{system}}/behaviour; hub: MILLRACE_SANDBOX_URL={root}");
                try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
            }
            return 0;
        });
        return command;
    }
}
