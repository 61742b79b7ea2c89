using System.CommandLine;
using System.Diagnostics;
using RevOps.Domain.Tenancy;
using RevOps.Server.Hosting;
using RevOps.Storage;
using RevOps.Storage.TenantCopy;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>
/// `revops migrate-data`: moves tenants from a SQLite data directory (or another PostgreSQL database) to PostgreSQL with every id,
/// sequence, key hash and timestamp unchanged, one tenant per transaction, then counts both sides.
/// Writes made to the source after its snapshot are not carried: stop writes first (docs/operations.md).
/// </summary>
internal static class MigrateDataCommand
{
    public static Command Create()
    {
        var tenant = new Option<string?>("--tenant") { Description = "Tenant id (UUID) to move." };
        var allTenants = new Option<bool>("--all-tenants") { Description = "Move every tenant of the source, one transaction each." };
        var fromData = new Option<string?>("--from-data") { Description = "Source: the SQLite data directory holding revops.db." };
        var fromDb = new Option<string?>("--from-db") { Description = "Source instead: another PostgreSQL database (moving a tenant between PostgreSQL servers)." };
        var toDb = new Option<string>("--to-db") { Description = "Target: PostgreSQL connection string, e.g. \"Host=db;Database=revops;Username=revops\".", Required = true };
        var replace = new Option<bool>("--replace") { Description = "Overwrite a tenant that already exists in the target (its rows there are deleted in the same transaction)." };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Leave tenants that already exist in the target as they are (resumes an interrupted --all-tenants)." };
        var command = new Command("migrate-data", "Move tenants from a SQLite data directory (or another PostgreSQL database) to PostgreSQL: records, recycle bin, change log, keys, custom fields, webhooks, audit, usage.")
            { tenant, allTenants, fromData, fromDb, toDb, replace, skipExisting };
        command.SetAction(async (result, ct) =>
        {
            string? one = result.GetValue(tenant);
            bool all = result.GetValue(allTenants);
            if ((one is null) == !all) return CommonOptions.Fail("give --tenant ID or --all-tenants (one of them).");
            if (result.GetValue(replace) && result.GetValue(skipExisting)) return CommonOptions.Fail("give --replace or --skip-existing, not both.");
            TenantId only = default;
            if (one is not null && !TenantId.TryParse(one, out only)) return CommonOptions.Fail($"'{one}' is not a tenant id (a UUID).");
            string? sourceDirectory = result.GetValue(fromData);
            string? sourceDatabase = result.GetValue(fromDb);
            if ((sourceDirectory is null) == (sourceDatabase is null)) return CommonOptions.Fail("give the source as --from-data DIR (SQLite) or --from-db CONNECTION-STRING (PostgreSQL), one of them.");
            string sourceFile = Path.Combine(sourceDirectory ?? ".", RevOpsOptions.DatabaseFileName);
            // Opening a missing file would create an empty database and report that it has no tenants.
            if (sourceDatabase is null && !File.Exists(sourceFile))
                return CommonOptions.Fail($"no {RevOpsOptions.DatabaseFileName} in {sourceDirectory}; --from-data is the directory `revops serve --data` used.");

            await using var source = StorageBackend.Open(new StorageLocation(sourceFile, sourceDatabase));
            // The SQLite path of the target's location is unused: a connection string selects PostgreSQL.
            await using var target = StorageBackend.Open(new StorageLocation(sourceFile, result.GetValue(toDb)));
            var tenants = all ? (await source.Tenants.ListAsync(ct)).Select(t => t.Id).ToList() : [only];
            AnsiConsole.MarkupLine($"Moving {tenants.Count} tenant(s) from {Markup.Escape(source.Location)} to {Markup.Escape(target.Location)}.");
            int failures = 0;
            foreach (var id in tenants)
            {
                if (result.GetValue(skipExisting) && await target.TenantRows.ExistsAsync(id, ct))
                {
                    AnsiConsole.MarkupLine($"{id}: already in the target, skipped (--skip-existing).");
                    continue;
                }
                var clock = Stopwatch.StartNew();
                var moved = await MoveAsync(source, target, id, result.GetValue(replace), ct);
                if (!moved.IsOk)
                {
                    failures++;
                    Console.Error.WriteLine($"error: {id}: {moved.Error.Message}");
                    continue;
                }
                Render(moved.Value, source.Kind, target.Kind, clock.Elapsed);
                if (!moved.Value.TargetMatches) failures++;
            }
            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    static async Task<Domain.Errors.CrmResult<TenantMoveReport>> MoveAsync(StorageBackend source, StorageBackend target, TenantId id, bool replace, CancellationToken ct)
    {
        try
        {
            return await TenantMove.MoveAsync(source, target, id, replace, ct);
        }
        catch (InvalidDataException bad)
        {
            // A stored value the target's column type cannot hold: the transaction rolled back.
            return new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidFieldValue, $"{bad.Message} Nothing of this tenant was written.");
        }
        catch (Npgsql.PostgresException refused)
        {
            // E.g. a key hash or webhook id that another tenant of the target already holds: the transaction rolled back.
            return new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.Conflict,
                $"PostgreSQL refused the copy ({refused.SqlState}: {refused.MessageText}{(refused.TableName is { } table ? $", table {table}" : "")}). Nothing of this tenant was written.");
        }
    }

    static void Render(TenantMoveReport report, string from, string to, TimeSpan elapsed)
    {
        var table = new Table().Title($"Tenant {report.Tenant}").AddColumn("Table").AddColumn(new TableColumn($"{from} (snapshot)").RightAligned())
            .AddColumn(new TableColumn(to).RightAligned()).AddColumn(new TableColumn($"{from} now").RightAligned()).AddColumn("");
        foreach (var name in TenantTables.All)
            table.AddRow(name, report.Sent[name].ToString("N0"), report.InTarget[name].ToString("N0"), report.InSourceNow[name].ToString("N0"),
                report.Sent[name] == report.InTarget[name] ? "ok" : "[red]MISMATCH[/]");
        AnsiConsole.Write(table);
        long records = TenantTables.Records.Sum(t => report.InTarget[t]);
        AnsiConsole.MarkupLine(report.TargetMatches
            ? $"{report.Tenant}: moved {records:N0} records and {report.InTarget[TenantTables.ChangeLog]:N0} changes in {elapsed.TotalSeconds:0.00} s; every table's count matches."
            : $"[red]{report.Tenant}: the target's counts differ from what was sent: something else writes to this tenant in the target.[/]");
        if (report.SourceChangedSince)
            AnsiConsole.MarkupLine($"[yellow]warning: the source was written during the move (change log {report.Sent[TenantTables.ChangeLog]:N0} -> {report.InSourceNow[TenantTables.ChangeLog]:N0}); those writes are not in the target. Stop writes and run again with --replace.[/]");
    }
}
