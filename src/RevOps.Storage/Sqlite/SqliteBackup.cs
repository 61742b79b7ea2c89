using System.Diagnostics;
using Microsoft.Data.Sqlite;
using RevOps.Domain.Errors;
using RevOps.Storage.Backup;
using RevOps.Storage.TenantCopy;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// An online backup of the SQLite file while a server keeps writing to it (revops backup). SQLite's
/// backup API copies every page in one step under one read transaction, so the copy is the database
/// as of one commit: under WAL the writer goes on meanwhile, and nothing it commits later is in the
/// copy, nor half of anything. The copy is written to a temporary name beside the target and renamed
/// only after it passed SQLite's quick_check, so a file with the final name is always a whole backup.
/// </summary>
public static class SqliteBackup
{
    public const string ExistsCode = "BACKUP_EXISTS";

    public static CrmResult<BackupSummary> Write(string databasePath, string outPath, bool overwrite)
    {
        var clock = Stopwatch.StartNew();
        if (!File.Exists(databasePath))
            return new CrmError(ErrorCodes.NotFound, $"no database at {databasePath}. Pass --data with the directory that holds {Path.GetFileName(databasePath)}.");
        string target = Path.GetFullPath(outPath);
        if (target == Path.GetFullPath(databasePath))
            return new CrmError(ErrorCodes.InvalidArgument, $"--out {outPath} is the live database itself; give another file.");
        if (File.Exists(target) && !overwrite)
            return new CrmError(ExistsCode, $"{target} already exists; nothing was written. Give a new file name, or --force to replace it.");
        string directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        string partial = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            Copy(databasePath, partial);
            string check = QuickCheck(partial);
            if (check != "ok") return new CrmError("BACKUP_CORRUPT", $"the copy failed SQLite's quick_check ({check}); nothing was written to {target}.");
            var tenants = CountTenants(partial);
            File.Move(partial, target, overwrite);
            return new BackupSummary(target, new FileInfo(target).Length, check, tenants, clock.Elapsed);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(partial + "-journal");
        }
    }

    static void Copy(string databasePath, string partial)
    {
        // Read-only and unpooled: this process must not keep the live file open afterwards, nor write to it.
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString);
        source.Open();
        using (var wait = source.CreateCommand())
        {
            wait.CommandText = "PRAGMA busy_timeout = 10000";
            wait.ExecuteNonQuery();
        }
        destination.Open();
        source.BackupDatabase(destination);
        // The copy keeps the live file's WAL flag; one self-contained file is what a backup should be
        // (no -wal beside it to lose). The server turns WAL back on when it opens the file.
        using var journal = destination.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode = DELETE";
        journal.ExecuteNonQuery();
    }

    static string QuickCheck(string path)
    {
        using var connection = OpenReadOnly(path);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "no answer";
    }

    static List<TenantBackupCount> CountTenants(string path)
    {
        using var connection = OpenReadOnly(path);
        var tenants = new List<(string Id, string Name)>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT id, name FROM tenants ORDER BY created_at";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tenants.Add((reader.GetString(0), reader.GetString(1)));
        }
        var counts = new List<TenantBackupCount>(tenants.Count);
        foreach (var (id, name) in tenants)
        {
            long records = 0;
            foreach (var table in TenantTables.Records) records += Count(connection, table, id);
            counts.Add(new TenantBackupCount(id, name, records, Count(connection, TenantTables.ChangeLog, id)));
        }
        return counts;
    }

    static long Count(SqliteConnection connection, string table, string tenant)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE tenant_id = @tenant";
        command.Parameters.AddWithValue("@tenant", tenant);
        return (long)command.ExecuteScalar()!;
    }

    static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }
}
