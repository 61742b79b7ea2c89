using System.CommandLine;
using System.Diagnostics;
using RevOps.Storage.Backup;
using RevOps.Storage.Sqlite;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>
/// `revops backup --out FILE`: a consistent copy of the database while the server keeps running. SQLite:
/// SQLite's online backup into one self-contained file that `revops serve` starts on. PostgreSQL: pg_dump's
/// custom format, for pg_restore.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "File to write, e.g. backups/revops-2026-12-01.db; it must not exist yet (see --force).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace --out if it exists (only once the new backup is complete)." };
        var pgDump = new Option<string?>("--pg-dump") { Description = "With --db: the pg_dump to run (default: the first on PATH). Use the server's major version or newer." };
        var data = CommonOptions.Data();
        var command = new Command("backup", "Write a consistent backup while the server runs: the SQLite file (revops.db), or with --db a pg_dump custom-format archive.")
            { output, force, pgDump, data };
        command.SetAction(async (result, ct) =>
        {
            var options = CommonOptions.Local(result, data);
            string outPath = result.GetValue(output)!;
            return options.Database is { } database
                ? await BackupPostgresAsync(database, outPath, result.GetValue(force), result.GetValue(pgDump), ct)
                : BackupSqlite(options.DatabasePath, outPath, result.GetValue(force));
        });
        return command;
    }

    static int BackupSqlite(string databasePath, string outPath, bool force)
    {
        var written = SqliteBackup.Write(databasePath, outPath, force);
        if (!written.IsOk) return CommonOptions.Fail(written.Error.Message);
        Render(written.Value);
        return 0;
    }

    static void Render(BackupSummary backup)
    {
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(backup.Path)}[/]: {Size(backup.Bytes)}, quick_check {Markup.Escape(backup.Check)}, {backup.Elapsed.TotalSeconds:0.00} s.");
        var table = new Table().AddColumn("Tenant").AddColumn("Name").AddColumn(new TableColumn("Records").RightAligned()).AddColumn(new TableColumn("Changes").RightAligned());
        foreach (var tenant in backup.Tenants)
            table.AddRow(tenant.TenantId, Markup.Escape(tenant.Name), tenant.Records.ToString("N0"), tenant.Changes.ToString("N0"));
        table.AddRow("[bold]total[/]", $"{backup.Tenants.Count} tenant(s)", backup.Tenants.Sum(t => t.Records).ToString("N0"), backup.Tenants.Sum(t => t.Changes).ToString("N0"));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Restore: stop the server, put this file in an empty data directory as [bold]{RevOps.Server.Hosting.RevOpsOptions.DatabaseFileName}[/], start `revops serve --data <that directory>`.");
    }

    static async Task<int> BackupPostgresAsync(string database, string outPath, bool force, string? pgDumpPath, CancellationToken ct)
    {
        string target = Path.GetFullPath(outPath);
        if (File.Exists(target) && !force) return CommonOptions.Fail($"{target} already exists; nothing was written. Give a new file name, or --force to replace it.");
        if (PgDump.Find(pgDumpPath) is not { } pgDump)
            return CommonOptions.Fail((pgDumpPath is null ? "pg_dump is not on PATH" : $"no pg_dump at {pgDumpPath}")
                + " (install PostgreSQL's client tools of the server's major version or newer, e.g. the postgresql-client package, or pass --pg-dump). "
                + $"Or run it yourself, with the password in PGPASSWORD or ~/.pgpass:{System.Environment.NewLine}  {PgDump.CommandLine(database, target)}");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string partial = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        var clock = Stopwatch.StartNew();
        try
        {
            var dump = await PgDump.RunAsync(pgDump, database, partial, ct);
            if (dump.ExitCode != 0) return CommonOptions.Fail($"pg_dump exited with {dump.ExitCode}; nothing was written to {target}.{System.Environment.NewLine}{dump.StdErr}");
            File.Move(partial, target, force);
        }
        finally
        {
            File.Delete(partial);
        }
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(target)}[/]: {Size(new FileInfo(target).Length)}, pg_dump custom format ({Markup.Escape(pgDump)}), {clock.Elapsed.TotalSeconds:0.00} s.");
        AnsiConsole.MarkupLine("Restore into an empty database: [bold]pg_restore --dbname=<database> --no-owner " + Markup.Escape(target) + "[/]; see docs/operations.md.");
        return 0;
    }

    static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };
}
