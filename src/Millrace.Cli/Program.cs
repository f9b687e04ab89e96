using System.CommandLine;
using Millrace.Cli.Commands;

var root = new RootCommand("Millrace: the governed integration hub between the plant floor and the enterprise.")
{
    DemoCommand.Create(),
    EventsCommand.Create(),
    SchemaCommand.Create(),
    DlqCommand.Create(),
    WorkflowsCommand.Create(),
    ReplayCommand.Create(),
    CatalogCommand.Create(),
    BrokerCommand.Create(),
    RunCommand.Create(),
    SandboxCommand.Create(),
    SimulateCommand.Create(),
    ValidateCommand.Create(),
    ClientsCommand.Create(),
    TokenCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
