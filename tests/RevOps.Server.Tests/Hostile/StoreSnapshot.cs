using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// A checksum of the server's database (its SQLite file, or its PostgreSQL database), read logically (every table's rows ordered by primary
/// key), per table and for one victim tenant, so a test can prove a run of requests changed nothing.
/// </summary>
public sealed record StoreSnapshot(IReadOnlyDictionary<string, string> TableHashes, string VictimHash, int VictimRows)
{
    /// <summary>Tables every request writes by design (call counting), not data a request could corrupt.</summary>
    static bool IsPerRequestBookkeeping(string table) => table.StartsWith("usage_", StringComparison.Ordinal);

    /// <summary>Columns every authenticated request may touch by design: a key's last use.</summary>
    static readonly HashSet<string> PerRequestColumns = ["api_keys.last_used_at"];

    /// <summary>
    /// Takes the snapshot. Rows of <paramref name="scratchTenants"/> (tenants that are sent valid writes on
    /// purpose) are left out; full-text shadow tables are derived from search_doc, which is included.
    /// </summary>
    public static StoreSnapshot Take(CrmServerFixture server, string victimTenant, params string[] scratchTenants)
    {
        if (server.Database is { } database) return TakePostgres(database, victimTenant, scratchTenants);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = Strings(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", out var sqlByTable);
        var virtualTables = tables.Where(t => sqlByTable[t].StartsWith("CREATE VIRTUAL TABLE", StringComparison.OrdinalIgnoreCase)).ToList();
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var victim = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int victimRows = 0;
        foreach (var table in tables)
        {
            if (IsPerRequestBookkeeping(table) || virtualTables.Any(v => table == v || table.StartsWith(v + "_", StringComparison.Ordinal))) continue;
            var columns = Columns(connection, table);
            string? tenantColumn = columns.Any(c => c.Name == "tenant_id") ? "tenant_id" : table == "tenants" ? "id" : null;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var command = connection.CreateCommand();
            var kept = columns.Where(c => !PerRequestColumns.Contains(table + "." + c.Name)).Select(c => Quote(c.Name)).ToList();
            var keys = columns.Where(c => c.PrimaryKeyOrder > 0).OrderBy(c => c.PrimaryKeyOrder).Select(c => Quote(c.Name)).ToList();
            // Identifiers come from the file's own catalogue, values are parameters.
            command.CommandText = $"SELECT {string.Join(", ", kept)}{(tenantColumn is null ? "" : $", {Quote(tenantColumn)}")} FROM {Quote(table)}"
                + (tenantColumn is null ? "" : $" WHERE {Quote(tenantColumn)} NOT IN ({string.Join(", ", scratchTenants.Select((_, i) => "$s" + i).DefaultIfEmpty("''"))})")
                + $" ORDER BY {(keys.Count == 0 ? "rowid" : string.Join(", ", keys))}";
            for (int i = 0; i < scratchTenants.Length; i++) command.Parameters.AddWithValue("$s" + i, scratchTenants[i]);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var row = new StringBuilder(table);
                for (int i = 0; i < kept.Count; i++) row.Append('\u001f').Append(Value(reader, i));
                byte[] bytes = Encoding.UTF8.GetBytes(row.Append('\u001e').ToString());
                hash.AppendData(bytes);
                if (tenantColumn is not null && reader.GetString(kept.Count) == victimTenant)
                {
                    victim.AppendData(bytes);
                    victimRows++;
                }
            }
            hashes[table] = Convert.ToHexString(hash.GetHashAndReset());
        }
        return new StoreSnapshot(hashes, Convert.ToHexString(victim.GetHashAndReset()), victimRows);
    }

    /// <summary>The same checksum over a PostgreSQL database, connected as its owner (not held by row-level security).</summary>
    static StoreSnapshot TakePostgres(string database, string victimTenant, string[] scratchTenants)
    {
        using var connection = new Npgsql.NpgsqlConnection(database);
        connection.Open();
        var tables = new List<string>();
        using (var list = new Npgsql.NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name", connection))
        using (var reader = list.ExecuteReader())
            while (reader.Read()) tables.Add(reader.GetString(0));
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var victim = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int victimRows = 0;
        foreach (var table in tables)
        {
            if (IsPerRequestBookkeeping(table)) continue;
            var columns = new List<string>();
            using (var list = new Npgsql.NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @t ORDER BY ordinal_position", connection))
            {
                list.Parameters.AddWithValue("t", table);
                using var reader = list.ExecuteReader();
                while (reader.Read()) columns.Add(reader.GetString(0));
            }
            var keys = new List<string>();
            using (var list = new Npgsql.NpgsqlCommand("""
                SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                WHERE i.indrelid = ('public.' || quote_ident(@t))::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)
                """, connection))
            {
                list.Parameters.AddWithValue("t", table);
                using var reader = list.ExecuteReader();
                while (reader.Read()) keys.Add(reader.GetString(0));
            }
            string? tenantColumn = columns.Contains("tenant_id") ? "tenant_id" : table == "tenants" ? "id" : null;
            var kept = columns.Where(c => !PerRequestColumns.Contains(table + "." + c)).Select(Quote).ToList();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            // Identifiers come from the database's own catalogue, values are parameters.
            using var command = new Npgsql.NpgsqlCommand(
                $"SELECT {string.Join(", ", kept.Select(c => c + "::text"))}{(tenantColumn is null ? "" : $", {Quote(tenantColumn)}::text")} FROM {Quote(table)}"
                + (tenantColumn is null ? "" : $" WHERE {Quote(tenantColumn)}::text <> ALL(@scratch)")
                + $" ORDER BY {(keys.Count == 0 ? "ctid" : string.Join(", ", keys.Select(Quote)))}", connection);
            command.Parameters.AddWithValue("scratch", scratchTenants);
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                {
                    var row = new StringBuilder(table);
                    for (int i = 0; i < kept.Count; i++) row.Append('\u001f').Append(reader.IsDBNull(i) ? "\u2400" : reader.GetString(i));
                    byte[] bytes = Encoding.UTF8.GetBytes(row.Append('\u001e').ToString());
                    hash.AppendData(bytes);
                    if (tenantColumn is not null && reader.GetString(kept.Count) == victimTenant)
                    {
                        victim.AppendData(bytes);
                        victimRows++;
                    }
                }
            hashes[table] = Convert.ToHexString(hash.GetHashAndReset());
        }
        return new StoreSnapshot(hashes, Convert.ToHexString(victim.GetHashAndReset()), victimRows);
    }

    /// <summary>The tables whose content differs from <paramref name="before"/>'s, for the failure message.</summary>
    public IReadOnlyList<string> ChangedSince(StoreSnapshot before) =>
        TableHashes.Keys.Union(before.TableHashes.Keys).Where(t => TableHashes.GetValueOrDefault(t) != before.TableHashes.GetValueOrDefault(t)).Order(StringComparer.Ordinal).ToList();

    static string Value(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? "\u2400" : reader.GetFieldType(i) == typeof(byte[])
        ? Convert.ToHexString((byte[])reader.GetValue(i)) : reader.GetFieldType(i).Name + ":" + Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    sealed record Column(string Name, int PrimaryKeyOrder);

    static List<Column> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, pk FROM pragma_table_info($t) ORDER BY cid";
        command.Parameters.AddWithValue("$t", table);
        using var reader = command.ExecuteReader();
        var columns = new List<Column>();
        while (reader.Read()) columns.Add(new Column(reader.GetString(0), reader.GetInt32(1)));
        return columns;
    }

    static List<string> Strings(SqliteConnection connection, string sql, out Dictionary<string, string> second)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        second = [];
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
            second[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
        }
        return names;
    }
}
