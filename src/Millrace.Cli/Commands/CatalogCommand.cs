using System.CommandLine;
using Millrace.Core.Config;
using Millrace.Hub.Governance;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace catalog [--config dir] [--format table|asyncapi] [--data dir]</c>: the event catalogue of a configuration
/// folder, as a table (default) or as the AsyncAPI 3.0 document the hub serves at <c>/catalog/asyncapi.json</c>.
/// With <c>--data</c>, schema versions come from that folder's registry. Exit 0; 1 when the configuration is invalid;
/// 2 for usage errors.
/// </summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Configuration folder (default: samples/acme)." };
        var format = new Option<string>("--format")
        {
            Description = "table (default) or asyncapi (the AsyncAPI 3.0 JSON document).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "asyncapi");
        var data = new Option<string?>("--data") { Description = "A hub data folder whose registry.db supplies the registered schema versions." };
        var command = new Command("catalog", "Print the event catalogue: owner, domain, lifecycle, sunset, producers and consumers of every event type.")
        {
            config, format, data,
        };
        command.SetAction(parse =>
        {
            var result = ConfigLocator.Load(parse.GetValue(config) ?? ConfigLocator.DefaultDirectory(), Console.Error);
            if (result is null) return 1;
            var definitions = result.Config.Get<ConfigCatalog<SchemaDefinition>>()?.All ?? [];
            string? dataDir = parse.GetValue(data);
            if (dataDir is not null && !File.Exists(Path.Combine(dataDir, SchemaRegistry.FileName)))
            {
                Console.Error.WriteLine($"{dataDir}: error: no {SchemaRegistry.FileName} in this folder");
                return 2;
            }
            using var registry = dataDir is null ? null : SchemaRegistry.OpenInDataDirectory(dataDir);
            var messages = CatalogMessage.Collect(definitions, registry);
            if (parse.GetValue(format) == "asyncapi")
            {
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(AsyncApiDocument.Write(messages, CatalogEndpoints.Title, "127.0.0.1:5080"));
                stdout.WriteByte((byte)'\n');
            }
            else Console.Out.Write(CatalogTable.Format(messages));
            return 0;
        });
        return command;
    }
}
