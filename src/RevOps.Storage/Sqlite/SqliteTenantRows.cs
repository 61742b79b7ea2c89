using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using RevOps.Domain.Tenancy;
using RevOps.Storage.TenantCopy;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// A tenant's rows as SQLite stores them, which is already the portable form of <see cref="TableBatch"/>.
/// Reads run on one reader connection inside one read transaction, so under WAL every table is read
/// from the same snapshot while the server keeps writing.
/// </summary>
internal sealed class SqliteTenantRows(SqliteDatabase db) : ITenantRows
{
    const int BatchSize = 500;

    public Task<bool> ExistsAsync(TenantId tenant, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
        {
            var command = session.Command("SELECT 1 FROM tenants WHERE id = @tenant");
            command.Parameters.AddWithValue("@tenant", tenant.ToString());
            return command.ExecuteScalar() is not null;
        }));

    public Task<IReadOnlyDictionary<string, long>> CountAsync(TenantId tenant, CancellationToken ct)
    {
        using var lease = db.RentReader();
        var connection = lease.Session.Connection;
        using var snapshot = connection.BeginTransaction(deferred: true);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in TenantTables.All)
        {
            using var command = Select(connection, snapshot, $"SELECT COUNT(*) FROM {table} WHERE {TenantTables.TenantColumn(table)} = @tenant", tenant);
            counts[table] = (long)command.ExecuteScalar()!;
        }
        return Task.FromResult<IReadOnlyDictionary<string, long>>(counts);
    }

    public async IAsyncEnumerable<TableBatch> ReadAsync(TenantId tenant, [EnumeratorCancellation] CancellationToken ct)
    {
        using var lease = db.RentReader();
        var connection = lease.Session.Connection;
        using var snapshot = connection.BeginTransaction(deferred: true);
        foreach (var table in TenantTables.All)
        {
            // No ORDER BY: the tenant-first primary key index streams the rows without a sort.
            using var command = Select(connection, snapshot, $"SELECT * FROM {table} WHERE {TenantTables.TenantColumn(table)} = @tenant", tenant);
            using var reader = command.ExecuteReader();
            var columns = new string[reader.FieldCount];
            for (int i = 0; i < columns.Length; i++) columns[i] = reader.GetName(i);
            var rows = new List<object?[]>(BatchSize);
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                var row = new object?[columns.Length];
                for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
                if (rows.Count == BatchSize)
                {
                    yield return new TableBatch(table, columns, rows);
                    rows = new List<object?[]>(BatchSize);
                }
            }
            if (rows.Count > 0) yield return new TableBatch(table, columns, rows);
            // SQLite's reads are synchronous; between tables, let the consumer's writes run.
            await Task.Yield();
        }
    }

    static SqliteCommand Select(SqliteConnection connection, SqliteTransaction snapshot, string sql, TenantId tenant)
    {
        var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = sql;
        command.Parameters.AddWithValue("@tenant", tenant.ToString());
        return command;
    }
}
