using System.CommandLine;

namespace Millrace.Cli.Commands;

/// <summary><c>millrace validate &lt;dir&gt;</c>: every problem as <c>file:line:col: message</c>, exit 1; or a one-line summary, exit 0.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "Configuration folder (YAML files, read recursively)." };
        var command = new Command("validate", "Check a configuration folder and report every problem with its file, line and column.") { directory };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(directory)!;
            var result = ConfigLocator.Load(dir, Console.Error);
            if (result is null) return 1;
            Console.Out.WriteLine($"valid: {result.Summary}");
            if (result.Config.Get<Millrace.Hub.Processing.Rules.RuleBook>() is { Rules.Length: > 0 } book)
                Console.Out.WriteLine($"rules: {book.Rules.Length} ({string.Join(", ", book.Rules.GroupBy(r => r.Kind).Select(g => $"{g.Count()} {Kebab(g.Key.ToString())}"))})");
            if (result.Config.Get<Millrace.Core.Config.ConfigCatalog<Millrace.Hub.Connectors.Configuration.ConnectorDefinition>>() is { Count: > 0 } connectors)
                Console.Out.WriteLine($"connectors: {connectors.Count} ({string.Join(", ", connectors.All.Select(c => $"{c.Id}: {c.Kind}, {c.Operations.Count} operations"))})");
            return 0;
        });
        return command;
    }

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
