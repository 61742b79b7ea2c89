using Npgsql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Applies the numbered scripts in Postgres/Migrations/ that the database has not seen yet, each in
/// its own transaction, and records them in schema_migrations. An advisory lock makes nodes that
/// start together take turns, so each script runs once.
/// </summary>
internal static class PostgresMigrator
{
    /// <summary>Any fixed number, shared by every RevOps process that migrates this database.</summary>
    const long MigrationLock = 0x5265764f7073; // "RevOps"

    public static IReadOnlyList<MigrationScript> All { get; } = MigrationScript.For("Postgres");

    /// <summary>Returns the versions applied by this call.</summary>
    public static IReadOnlyList<int> Apply(NpgsqlConnection connection)
    {
        var applied = new List<int>();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "SELECT pg_advisory_xact_lock(" + MigrationLock + ")");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)");
        var done = new HashSet<int>();
        using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
        using (var reader = read.ExecuteReader())
            while (reader.Read()) done.Add(reader.GetInt32(0));
        foreach (var migration in All.Where(m => !done.Contains(m.Version)))
        {
            // One transaction for all pending scripts keeps the lock to the end; a failing script
            // rolls back every script of this run, and the next start tries them again.
            Execute(connection, migration.Sql);
            using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, now())", connection);
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("n", migration.Name);
            record.ExecuteNonQuery();
            applied.Add(migration.Version);
        }
        transaction.Commit();
        return applied;
    }

    public static int CurrentVersion(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection);
        return Convert.ToInt32(command.ExecuteScalar());
    }

    static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
