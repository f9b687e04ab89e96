using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Millrace.Hub.Connectors.Tryton;

namespace Millrace.Hub.Tests.Connectors.Tryton;

/// <summary>
/// A real trytond 6.0 on a free loopback port, serving a copy of the cached template database (built once by
/// scripts/tryton-init.sh: Acme company, warehouse plant-01, products, BOMs, opening stock). One per test class.
/// Fails loudly, never skips, when Tryton is not installed.
/// </summary>
public sealed class TrytonServer : IAsyncLifetime
{
    public const string Password = "Admin#Millrace-2026";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "millrace-tryton-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public int Port { get; private set; }
    public Uri Url => new($"http://127.0.0.1:{Port}");

    public TrytonOptions Options => new() { Url = Url, Database = "erp", User = "admin", Password = Password };

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/bin/trytond"))
            throw new InvalidOperationException("trytond is not installed: run scripts/tryton-install.sh (as root), as .ci/run does");
        var template = await TemplateAsync();
        Directory.CreateDirectory(Path.Combine(_dir, "db"));
        File.Copy(template, Path.Combine(_dir, "db", "erp.sqlite"));
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts trytond (again) on the same port and data; returns when it accepts connections.</summary>
    public async Task StartAsync()
    {
        File.WriteAllText(Path.Combine(_dir, "trytond.conf"), $"""
            [database]
            uri = sqlite://
            path = {Path.Combine(_dir, "db")}

            [web]
            listen = 127.0.0.1:{Port}
            root = /nonexistent

            [session]
            timeout = 3600
            """);
        var psi = new ProcessStartInfo("/usr/bin/trytond")
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "-c", Path.Combine(_dir, "trytond.conf"), "-d", "erp" })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, _) => { }; // werkzeug logs every request at INFO: drain, never block on a full pipe
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        // -d erp loads the database before the port opens, so an accepted connection means ready
        for (var i = 0; i < 600; i++)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"trytond exited with {_process.ExitCode} while starting on port {Port}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"trytond did not open port {Port} within 60 s");
    }

    /// <summary>Stops trytond (the ERP goes down); the database file stays.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A client of its own, to check what is in Tryton independently of the connector under test.</summary>
    public TrytonJsonRpcClient NewClient() => new(Options);

    /// <summary>Creates a planned production order (what the ERP's planning releases): reference = order id, state draft.</summary>
    public async Task CreatePlannedOrderAsync(string order, string material, double quantity)
    {
        using var rpc = NewClient();
        var product = await rpc.CallAsync("product.product", "search_read",
            new JsonArray(new JsonArray(new JsonArray("code", "=", material)), 0, 1, null, new JsonArray("default_uom")));
        var productId = product[0].GetProperty("id").GetInt32();
        var bom = await rpc.CallAsync("production.bom", "search", new JsonArray(new JsonArray(new JsonArray("name", "=", material + " BOM")), 0, 1, null));
        var wh = await rpc.CallAsync("stock.location", "search_read",
            new JsonArray(new JsonArray(new JsonArray("code", "in", new JsonArray("plant-01", "PROD"))), 0, null, null, new JsonArray("code")));
        int Loc(string code) => wh.EnumerateArray().First(l => l.GetProperty("code").GetString() == code).GetProperty("id").GetInt32();
        await rpc.CallAsync("production", "create", new JsonArray(new JsonArray(new JsonObject
        {
            ["reference"] = order, ["company"] = rpc.Company, ["warehouse"] = Loc("plant-01"), ["location"] = Loc("PROD"),
            ["product"] = productId, ["bom"] = bom[0].GetInt32(), ["uom"] = product[0].GetProperty("default_uom").GetInt32(),
            ["quantity"] = quantity,
        })));
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);

    /// <summary>The cached template; built by scripts/tryton-init.sh when absent (~35 s, once per machine).</summary>
    private static async Task<string> TemplateAsync()
    {
        var cache = Environment.GetEnvironmentVariable("MILLRACE_TRYTON_CACHE")
            ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "millrace", "tryton");
        var template = Path.Combine(cache, "erp.sqlite");
        await TemplateLock.WaitAsync();
        try
        {
            if (File.Exists(template))
                return template;
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "Millrace.slnx")))
                dir = Path.GetDirectoryName(dir);
            var script = Path.Combine(dir ?? throw new InvalidOperationException("repository root not found"), "scripts", "tryton-init.sh");
            using var init = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var err = init.StandardError.ReadToEndAsync();
            await init.StandardOutput.ReadToEndAsync();
            await init.WaitForExitAsync();
            if (init.ExitCode != 0 || !File.Exists(template))
                throw new InvalidOperationException($"scripts/tryton-init.sh failed ({init.ExitCode}): {await err}");
            return template;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    /// <summary>
    /// Writes a hub configuration folder for this server with scripts/tryton-demo-config.sh (samples/acme with the
    /// samples/tryton connector and workflow) and sets the connector's password variable.
    /// </summary>
    public async Task WriteHubConfigAsync(string folder)
    {
        Environment.SetEnvironmentVariable("TRYTON_PASSWORD", Password);
        var psi = new ProcessStartInfo("bash", [Path.Combine(HubFixture.RepositoryRoot, "scripts", "tryton-demo-config.sh"), folder, Url.ToString().TrimEnd('/')])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var script = Process.Start(psi)!;
        var err = script.StandardError.ReadToEndAsync();
        await script.StandardOutput.ReadToEndAsync();
        await script.WaitForExitAsync();
        Assert.True(script.ExitCode == 0, await err);
    }

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
