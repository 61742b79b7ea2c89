using Microsoft.Data.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// Applies the numbered scripts in Migrations/ that the database has not seen yet, each in
/// its own transaction, and records them in schema_migrations.
/// </summary>
internal static class SqliteMigrator
{
    public static IReadOnlyList<MigrationScript> All { get; } = MigrationScript.For("Sqlite");

    /// <summary>Returns the versions applied by this call.</summary>
    public static IReadOnlyList<int> Apply(SqliteConnection connection)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var applied = new List<int>();
        foreach (var migration in All)
        {
            Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                using var check = connection.CreateCommand();
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v";
                check.Parameters.AddWithValue("$v", migration.Version);
                if ((long)check.ExecuteScalar()! > 0)
                {
                    Execute(connection, "COMMIT");
                    continue;
                }
                Execute(connection, migration.Sql);
                using var record = connection.CreateCommand();
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
                record.Parameters.AddWithValue("$v", migration.Version);
                record.Parameters.AddWithValue("$n", migration.Name);
                record.Parameters.AddWithValue("$t", DateTime.UtcNow.ToString("O"));
                record.ExecuteNonQuery();
                Execute(connection, "COMMIT");
                applied.Add(migration.Version);
            }
            catch
            {
                Execute(connection, "ROLLBACK");
                throw;
            }
        }
        return applied;
    }

    public static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        return Convert.ToInt32(command.ExecuteScalar());
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
