using System.CommandLine;
using RevOps.Cli.Commands;
using Spectre.Console;

RevOps.Server.Hosting.StartupTrace.Mark("main");
// Piped output (scripts, tests) must not wrap ids across lines. serve writes without Spectre, and setting up
// Spectre's console would only add to its start-up (bench/results/2026-12-06-startup-2.md).
if (Console.IsOutputRedirected && args is not ["serve", ..]) AnsiConsole.Profile.Width = 240;

var root = new RootCommand("RevOps: the AI-native CRM. Agents use it over MCP; Salesforce clients over REST.");
root.Options.Add(CommonOptions.Database);
root.Subcommands.Add(ServeCommand.Create());
// `revops serve …` parses against the root, its --db and serve alone: the other 21 commands' trees (hundreds of
// options, descriptions and actions) would only add to the time to /ready (bench/results/2026-12-07-startup-4.md).
// Anything else, `revops --help` included, gets the whole tree.
if (args is ["serve", ..]) return await root.Parse(args).InvokeAsync();
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(TenantCommand.Create());
root.Subcommands.Add(KeyCommand.Create());
root.Subcommands.Add(UserCommand.Create());
root.Subcommands.Add(DuplicatesCommand.Create());
root.Subcommands.Add(IntegrationCommand.Create());
root.Subcommands.Add(FieldCommand.Create());
root.Subcommands.Add(ObjectCommand.Create());
root.Subcommands.Add(McpCommand.Create());
root.Subcommands.Add(UsageCommand.Create());
root.Subcommands.Add(WebhookCommand.Create());
root.Subcommands.Add(AutomationCommand.Create());
root.Subcommands.Add(WorkCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(ForecastCommand.Create());
root.Subcommands.Add(DemoDataCommand.Create());
root.Subcommands.Add(BackupCommand.Create());
root.Subcommands.Add(MigrateDataCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(SearchCommand.Create());
return await root.Parse(args).InvokeAsync();
