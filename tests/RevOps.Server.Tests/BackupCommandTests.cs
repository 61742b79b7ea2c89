using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests;

/// <summary>
/// `revops backup` on SQLite: a real `revops serve` keeps taking writes while the CLI copies its file;
/// the copy must be a whole database as of one moment, and a server must start on it.
/// </summary>
public sealed class BackupCommandTests : IAsyncLifetime
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "revops-backup-" + Guid.NewGuid().ToString("N"));
    string Data => Path.Combine(_root, "data");

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Backup_WhileWritesRun_CopyIsIntactAndHoldsEveryAcknowledgedRecord()
    {
        string backup = Path.Combine(_root, "backups", "revops-backup.db");
        var acknowledged = new ConcurrentDictionary<string, string>(); // Id -> Email
        Dictionary<string, string> beforeBackup;
        string key;
        await using (var server = await ServeProcess.StartAsync(Data, ServeProcess.FreePort(), new Dictionary<string, string>()))
        {
            (_, key) = await server.CreateTenantAsync("Backup Co", tier: "enterprise");
            using var stop = new CancellationTokenSource();
            // Four writers, each creating contacts one after another until the backup is done.
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                using var rest = new ServerRest(server.BaseUri, key);
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    string email = $"w{w}.n{i}@backup.test";
                    acknowledged[await rest.CreateAsync("Contact", new { LastName = $"Writer{w}", Email = email })] = email;
                }
            })).ToArray();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (acknowledged.Count < 100 && DateTime.UtcNow < deadline) await Task.Delay(10, TestContext.Current.CancellationToken);
            beforeBackup = new Dictionary<string, string>(acknowledged);

            var run = await Cli.RunAsync("backup", "--data", Data, "--out", backup);

            int duringBackup = acknowledged.Count;
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(run.ExitCode == 0, run.StdErr);
            Assert.Contains($"Wrote {backup}: ", run.StdOut);
            Assert.Contains("quick_check ok", run.StdOut);
            Assert.Contains("Backup Co", run.StdOut);
            Assert.True(beforeBackup.Count >= 100, $"only {beforeBackup.Count} writes acknowledged before the backup");
            Assert.True(acknowledged.Count > duringBackup || duringBackup > beforeBackup.Count, "writes kept running around the backup");
        }
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(backup)!, "*.partial"));

        await using (var connection = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check"));
            // One moment of the database: every record it holds has its change-log row, and the tenant's counter agrees.
            long contacts = (long)Scalar(connection, "SELECT COUNT(*) FROM contact")!;
            Assert.Equal(contacts, (long)Scalar(connection, "SELECT COUNT(*) FROM change_log")!);
            Assert.Equal(contacts, (long)Scalar(connection, "SELECT change_seq FROM tenants")!);
            var stored = new Dictionary<string, string>();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Id, Email FROM contact";
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken)) stored[reader.GetString(0)] = reader.GetString(1);
            foreach (var (id, email) in beforeBackup) Assert.Equal(email, stored.GetValueOrDefault(id));
            // Nothing in the copy that the server never acknowledged.
            Assert.All(stored, pair => Assert.Equal(acknowledged[pair.Key], pair.Value));
        }

        // Restore: the file alone, as revops.db in a fresh directory, is a database the server starts on, with the same key.
        string restored = Path.Combine(_root, "restored");
        Directory.CreateDirectory(restored);
        File.Copy(backup, Path.Combine(restored, "revops.db"));
        await using (var server = await ServeProcess.StartAsync(restored, ServeProcess.FreePort(), new Dictionary<string, string>()))
        {
            using var rest = new ServerRest(server.BaseUri, key);
            var (id, email) = beforeBackup.First();
            Assert.Equal(email, (await rest.GetAsync("Contact", id)).Str("Email"));
        }
    }

    [Fact]
    public async Task Backup_OutExists_RefusedUnlessForce()
    {
        await using (var server = await ServeProcess.StartAsync(Data, ServeProcess.FreePort(), new Dictionary<string, string>()))
            await server.CreateTenantAsync("Force Co");
        string backup = Path.Combine(_root, "existing.db");
        await File.WriteAllTextAsync(backup, "keep me", TestContext.Current.CancellationToken);

        var refused = await Cli.RunAsync("backup", "--data", Data, "--out", backup);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"error: {backup} already exists; nothing was written. Give a new file name, or --force to replace it.", refused.StdErr.Trim());
        Assert.Equal("keep me", await File.ReadAllTextAsync(backup, TestContext.Current.CancellationToken));

        var forced = await Cli.RunAsync("backup", "--data", Data, "--out", backup, "--force");

        Assert.True(forced.ExitCode == 0, forced.StdErr);
        await using var connection = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Force Co", Scalar(connection, "SELECT name FROM tenants"));
    }

    [Fact]
    public async Task Backup_NoDatabaseInDataDirectory_FailsWithoutCreatingOne()
    {
        string empty = Path.Combine(_root, "empty");
        Directory.CreateDirectory(empty);

        var run = await Cli.RunAsync("backup", "--data", empty, "--out", Path.Combine(_root, "x.db"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: no database at {Path.Combine(empty, "revops.db")}. Pass --data with the directory that holds revops.db.", run.StdErr.Trim());
        Assert.False(File.Exists(Path.Combine(empty, "revops.db")));
        Assert.False(File.Exists(Path.Combine(_root, "x.db")));
    }

    static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
