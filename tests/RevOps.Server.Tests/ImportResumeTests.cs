using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests;

/// <summary>
/// Issue 18: an import killed with SIGKILL mid-file and run again with the same command continues from its job's
/// committed row and writes every row exactly once (records, change log, errors file). SQLite, and PostgreSQL in the PG pass.
/// </summary>
public sealed class ImportResumeTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    string NewFile(string name, string text)
    {
        string dir = Path.Combine(server.DataDirectory, "imports", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    string[] ImportArgs(TestTenant tenant, string file, params string[] extra) =>
        ["import", "--tenant", tenant.TenantId, "--object", "Contact", file, "--data", server.DataDirectory, "--quiet", .. extra];

    /// <summary>One value from the server's database (SQLite read-only, or PostgreSQL), read while no import runs.</summary>
    long Scalar(string sql, string tenantId)
    {
        if (server.Database is { } database)
        {
            using var pg = new Npgsql.NpgsqlConnection(database);
            pg.Open();
            using var command = new Npgsql.NpgsqlCommand(sql, pg);
            command.Parameters.AddWithValue("t", Guid.Parse(tenantId));
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
        }
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var sqlite = connection.CreateCommand();
        sqlite.CommandText = sql;
        sqlite.Parameters.AddWithValue("@t", tenantId);
        return Convert.ToInt64(sqlite.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    static string Contacts(string domain, int rows, int badEvery)
    {
        var csv = new StringBuilder("FirstName,LastName,Email,Title,Birthdate\n");
        for (int i = 1; i <= rows; i++)
            csv.Append(CultureInfo.InvariantCulture, $"First{i},Last{i},c{i}@{domain},Title {i % 17},{(i % badEvery == 0 ? "31.13.1990" : "1990-01-02")}\n");
        return csv.ToString();
    }

    [Fact]
    public async Task KillNineMidImport_RerunSameCommand_EveryRowExactlyOnce()
    {
        var tenant = await server.CreateTenantAsync("Import kill -9");
        const int rows = 40_000, badEvery = 997;
        int bad = rows / badEvery;
        string domain = $"kill{tenant.TenantId[..8]}.test";
        string file = NewFile("big.csv", Contacts(domain, rows, badEvery));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Cli.DllPath);
        foreach (var arg in ImportArgs(tenant, file)) start.ArgumentList.Add(arg);
        if (server.Database is { } db) start.Environment["REVOPS_DB"] = db;
        long committed = 0;
        var trace = new StringBuilder();
        var deadline = Stopwatch.StartNew();
        using (var first = Process.Start(start)!)
        {
            while (committed < 3_000 && !first.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(3))
            {
                // Through the server, not a connection of the test's own: a read-only SQLite connection opened while another
                // process writes may wait out its busy timeout.
                await Task.Delay(100, TestContext.Current.CancellationToken);
                committed = (await tenant.CallOkAsync("soql_query", new { query = "SELECT COUNT() FROM Contact" })).GetProperty("totalSize").GetInt64();
                trace.Append($"{deadline.Elapsed.TotalSeconds:F1}s:{committed} ");
            }
            if (first.HasExited) Assert.Fail("the import ended before it could be killed: " + await first.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken));
            first.Kill(entireProcessTree: true); // SIGKILL: no handler runs, no batch finishes
            await first.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        trace.Append($"killed {deadline.Elapsed.TotalSeconds:F1}s ");
        long before = Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t", tenant.TenantId);
        trace.Append($"counted {deadline.Elapsed.TotalSeconds:F1}s ");
        long committedRow = Scalar("SELECT committed_row FROM import_jobs WHERE tenant_id = @t", tenant.TenantId);
        Assert.True(before >= 2_000 && before < rows - bad, $"{trace} {before} contacts");
        Assert.Equal("running", Scalar("SELECT COUNT(*) FROM import_jobs WHERE tenant_id = @t AND state = 'running'", tenant.TenantId) == 1 ? "running" : "not running");

        var again = await Cli.RunAsync(ImportArgs(tenant, file));
        Assert.True(again.ExitCode == 2, again.StdOut + again.StdErr);
        Assert.Contains($"Resuming import ", again.StdOut);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $" from row {committedRow + 1:N0}: rows 1 to {committedRow:N0} were committed before"), again.StdOut);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Contact: {rows:N0} rows read, {rows - bad:N0} written ({rows - bad:N0} created, 0 updated), {bad:N0} failed, 0 skipped in "), again.StdOut);

        // Every row exactly once: the records, their emails, and one created change each.
        Assert.Equal(rows - bad, Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t", tenant.TenantId));
        Assert.Equal(rows - bad, Scalar("SELECT COUNT(DISTINCT Email) FROM contact WHERE tenant_id = @t", tenant.TenantId));
        var created = ChangeLogFile.Read(server, tenant.TenantId).Where(c => c.Object == "Contact" && c.Operation == "created").ToArray();
        Assert.Equal(rows - bad, created.Length);
        Assert.Equal(rows - bad, created.Select(c => c.RecordId).Distinct().Count());
        Assert.All(created, c => Assert.Equal("import", c.Channel));

        // The errors file lists each bad row once, across both runs, in row order.
        var errorRows = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(file)!, "big.errors.csv")).Skip(1).Select(l => long.Parse(l[..l.IndexOf(',')], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Enumerable.Range(1, bad).Select(k => (long)k * badEvery).ToArray(), errorRows);
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM import_jobs WHERE tenant_id = @t AND state = 'finished' AND committed_row = 40000 AND failed = 40", tenant.TenantId));

        // Finished: the same command again writes nothing.
        var third = await Cli.RunAsync(ImportArgs(tenant, file));
        Assert.True(third.ExitCode == 0, third.StdOut + third.StdErr);
        Assert.Contains("was already imported into Contact with these options", third.StdOut);
        Assert.Equal(rows - bad, Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t", tenant.TenantId));
    }

    /// <summary>A write the database refuses (here a trigger; in life a full disk) stops the import with where it got to and how
    /// to go on; the same command, once the cause is gone, writes the rest and every row once.</summary>
    [Fact]
    public async Task DatabaseRefusesABatch_StopsWithCommittedRowAndHowToGoOn_RerunWritesTheRestOnce()
    {
        var tenant = await server.CreateTenantAsync("Import refused");
        const int rows = 5_000;
        var csv = new StringBuilder("FirstName,LastName,Email\n");
        for (int i = 1; i <= rows; i++) csv.Append(CultureInfo.InvariantCulture, $"First{i},{(i == 3_000 ? "Refusedrow" : $"Last{i}")},r{i}@refused.test\n");
        string file = NewFile("refused.csv", csv.ToString());
        Database(server.Database is null
            ? "CREATE TRIGGER test_refuse BEFORE INSERT ON contact WHEN NEW.LastName = 'Refusedrow' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
            : "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.lastname = 'Refusedrow' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$; " +
              "CREATE TRIGGER test_refuse BEFORE INSERT ON contact FOR EACH ROW EXECUTE FUNCTION test_refuse()");
        try
        {
            var refused = await Cli.RunAsync(ImportArgs(tenant, file));
            Assert.True(refused.ExitCode == 1, refused.StdOut + refused.StdErr);
            Assert.Contains("error: the database refused a write (", refused.StdErr);
            Assert.Contains("refused for the test", refused.StdErr);
            Assert.Contains("Rows up to 2,000 are committed and nothing after them was written.", refused.StdErr);
            Assert.Contains("run the same command again to continue from row 2,001.", refused.StdErr);
            Assert.DoesNotContain("Unhandled exception", refused.StdErr);
            Assert.Equal(2_000, Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t", tenant.TenantId));
        }
        finally
        {
            Database(server.Database is null ? "DROP TRIGGER test_refuse" : "DROP TRIGGER test_refuse ON contact; DROP FUNCTION test_refuse()");
        }

        var again = await Cli.RunAsync(ImportArgs(tenant, file));
        Assert.True(again.ExitCode == 0, again.StdOut + again.StdErr);
        Assert.Contains(" from row 2,001: rows 1 to 2,000 were committed before", again.StdOut);
        Assert.Equal(rows, Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t", tenant.TenantId));
        Assert.Equal(rows, Scalar("SELECT COUNT(DISTINCT Email) FROM contact WHERE tenant_id = @t", tenant.TenantId));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t AND LastName = 'Refusedrow'", tenant.TenantId));
    }

    /// <summary>Schema changes for a test, on the server's database, as its owner.</summary>
    void Database(string sql)
    {
        if (server.Database is { } database)
        {
            using var pg = new Npgsql.NpgsqlConnection(database);
            pg.Open();
            using var command = new Npgsql.NpgsqlCommand(sql, pg);
            command.ExecuteNonQuery();
            return;
        }
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Pooling=False");
        connection.Open();
        using var sqlite = connection.CreateCommand();
        sqlite.CommandText = "PRAGMA busy_timeout = 10000; " + sql;
        sqlite.ExecuteNonQuery();
    }

    [Fact]
    public async Task FinishedImport_RerunWritesNothing_RestartImportsAgain_OtherTenantStartsFresh()
    {
        var tenant = await server.CreateTenantAsync("Import rerun");
        string file = NewFile("small.csv", Contacts("rerun.test", 5, badEvery: 1000));
        var first = await Cli.RunAsync(ImportArgs(tenant, file));
        Assert.True(first.ExitCode == 0, first.StdOut + first.StdErr);
        Assert.StartsWith("Contact: 5 rows read, 5 written (5 created, 0 updated), 0 failed, 0 skipped in ", first.StdOut);

        var second = await Cli.RunAsync(ImportArgs(tenant, file));
        Assert.Equal(0, second.ExitCode);
        Assert.Matches(@"^.*small\.csv was already imported into Contact with these options at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(import [0-9a-f]{32}: 5 written, 0 failed, 0 skipped\)\. Nothing was written; run with --restart to import it again\.\n$", second.StdOut);
        Assert.Equal(5, Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t", tenant.TenantId));

        // Other options are another import of the same file.
        var skipping = await Cli.RunAsync(ImportArgs(tenant, file, "--on-duplicate", "skip"));
        Assert.StartsWith("Contact: 5 rows read, 0 written (0 created, 0 updated), 0 failed, 5 skipped in ", skipping.StdOut);

        var restart = await Cli.RunAsync(ImportArgs(tenant, file, "--restart"));
        Assert.True(restart.ExitCode == 0, restart.StdOut + restart.StdErr);
        Assert.StartsWith("Contact: 5 rows read, 5 written (5 created, 0 updated)", restart.StdOut);
        Assert.Equal(10, Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t", tenant.TenantId));

        // A job belongs to its tenant: the same file into another tenant is a new import.
        var other = await server.CreateTenantAsync("Import rerun other");
        var elsewhere = await Cli.RunAsync(ImportArgs(other, file));
        Assert.StartsWith("Contact: 5 rows read, 5 written (5 created, 0 updated)", elsewhere.StdOut);
        Assert.Equal(5, Scalar("SELECT COUNT(*) FROM contact WHERE tenant_id = @t", other.TenantId));
    }
}
