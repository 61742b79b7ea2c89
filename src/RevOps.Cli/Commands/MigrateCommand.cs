using System.CommandLine;

namespace RevOps.Cli.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var command = new Command("migrate", "Create the database or bring its schema up to date.") { data };
        command.SetAction(async (result, ct) =>
        {
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var applied = store.Storage.AppliedMigrations;
            Console.WriteLine(applied.Count == 0
                ? $"{store.Storage.Location}: schema is current (version {store.Storage.SchemaVersion})."
                : $"{store.Storage.Location}: applied migration(s) {string.Join(", ", applied)}; schema version {store.Storage.SchemaVersion}.");
            return 0;
        });
        return command;
    }
}
