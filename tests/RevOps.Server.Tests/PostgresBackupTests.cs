using System.Diagnostics;
using Npgsql;

namespace RevOps.Server.Tests;

/// <summary>
/// `revops backup --db …`: pg_dump's custom format while the server runs, restored with pg_restore into
/// an empty database that a server then starts on. PostgreSQL pass only (REVOPS_TEST_PG); test.sh leaves
/// it out of the SQLite pass.
/// </summary>
public sealed class PostgresBackupTests : IAsyncLifetime
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "revops-pgbackup-" + Guid.NewGuid().ToString("N"));
    string Data => Path.Combine(_root, "data");
    string Restored => Path.Combine(_root, "restored");
    string? _database;
    string? _restored;

    public async ValueTask InitializeAsync()
    {
        if (TestDatabase.Server is null)
            Assert.Skip("Runs on PostgreSQL only: set REVOPS_TEST_PG (test.sh starts a throw-away cluster when PostgreSQL is installed).");
        Directory.CreateDirectory(_root);
        _database = await TestDatabase.CreateAsync(Data);
        _restored = await TestDatabase.CreateAsync(Restored);
    }

    [Fact]
    public async Task Backup_OnPostgres_PgRestoreGivesDatabaseServerStartsOn()
    {
        string pgDump = Tool("pg_dump");
        string archive = Path.Combine(_root, "revops.dump");
        string key, contact;
        await using (var server = await ServeProcess.StartAsync(Data, ServeProcess.FreePort(), new Dictionary<string, string>()))
        {
            (_, key) = await server.CreateTenantAsync("Dumped Co");
            using var rest = new ServerRest(server.BaseUri, key);
            contact = await rest.CreateAsync("Contact", new { LastName = "Codd", Email = "ted@dumped.test" });

            var run = await Cli.RunAsync("backup", "--data", Data, "--out", archive, "--pg-dump", pgDump);

            Assert.True(run.ExitCode == 0, run.StdErr);
            Assert.Contains($"Wrote {archive}: ", run.StdOut);
            Assert.Contains("pg_dump custom format", run.StdOut);
        }
        Assert.Empty(Directory.GetFiles(_root, "*.partial"));

        var restore = await RunAsync(Tool("pg_restore"), _restored!, "--no-owner", "--exit-on-error", $"--dbname={new NpgsqlConnectionStringBuilder(_restored).Database}", archive);
        Assert.True(restore.ExitCode == 0, restore.StdErr);

        await using var restoredServer = await ServeProcess.StartAsync(Restored, ServeProcess.FreePort(), new Dictionary<string, string>());
        using var restoredRest = new ServerRest(restoredServer.BaseUri, key);
        Assert.Equal("ted@dumped.test", (await restoredRest.GetAsync("Contact", contact)).Str("Email"));
    }

    [Fact]
    public async Task Backup_OnPostgresWithoutPgDump_PrintsTheCommandToRunAndWritesNothing()
    {
        await using (var server = await ServeProcess.StartAsync(Data, ServeProcess.FreePort(), new Dictionary<string, string>()))
            await server.CreateTenantAsync("No Dump Co");
        string archive = Path.Combine(_root, "never.dump");

        var run = await Cli.RunAsync("backup", "--data", Data, "--out", archive, "--pg-dump", "/nonexistent/pg_dump");

        Assert.Equal(1, run.ExitCode);
        var cs = new NpgsqlConnectionStringBuilder(_database);
        Assert.Contains($"PGHOST={cs.Host} PGPORT={cs.Port} PGDATABASE={cs.Database} PGUSER={cs.Username} pg_dump --format=custom --file={archive}", run.StdErr);
        Assert.DoesNotContain("PGPASSWORD=", run.StdErr);
        Assert.False(File.Exists(archive));
    }

    /// <summary>A PostgreSQL client tool: on PATH, else beside the server test.sh started (/usr/lib/postgresql/N/bin).</summary>
    static string Tool(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(directory, name))) return Path.Combine(directory, name);
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", name)).Where(File.Exists).Order().LastOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException($"{name} is not installed; the PostgreSQL pass needs PostgreSQL's client tools.");
    }

    static async Task<Cli.Output> RunAsync(string tool, string database, params string[] args)
    {
        var cs = new NpgsqlConnectionStringBuilder(database);
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["PGHOST"] = cs.Host;
        start.Environment["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = cs.Username;
        if (cs.Password is { } password) start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new Cli.Output(process.ExitCode, await stdout, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await TestDatabase.DropAsync(_database);
        await TestDatabase.DropAsync(_restored);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
