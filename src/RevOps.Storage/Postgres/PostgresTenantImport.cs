using Npgsql;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Storage.TenantCopy;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Takes a tenant copied from another database (revops migrate-data moves tenants from SQLite to
/// PostgreSQL; the way back is not built) in one tenant transaction, so row-level security holds
/// throughout. Values arrive in <see cref="TableBatch"/>'s portable form and are converted to each
/// column's type, which information_schema names; rows go in as one batch of inserts per table batch.
/// </summary>
internal sealed class PostgresTenantImport(PostgresDatabase db) : ITenantImport
{
    public async Task<CrmResult<IReadOnlyDictionary<string, long>>> ImportAsync(TenantId tenant, IAsyncEnumerable<TableBatch> batches, bool replace, CancellationToken ct)
    {
        IReadOnlyDictionary<string, long> written;
        try
        {
            written = await db.WriteAsync(tenant, async session =>
            {
                // The first statement goes through the session, which enters the tenant; then the connection is free for COPY.
                bool exists = await TenantRows.ExistsAsync(session, tenant, ct);
                var connection = ((PostgresSession)session).Connection;
                if (exists)
                {
                    if (!replace) throw new ImportRefused(TenantImportErrors.TenantExists(tenant));
                    await DeleteTenantAsync(connection, tenant, ct);
                }
                var types = await ColumnTypesAsync(connection, ct);
                var received = TenantTables.All.ToDictionary(table => table, _ => 0L, StringComparer.Ordinal);
                await foreach (var batch in batches.WithCancellation(ct))
                {
                    await InsertAsync(connection, batch, types[batch.Table], ct);
                    received[batch.Table] += batch.Rows.Count;
                }
                var stored = await TenantRows.CountAsync(session, tenant, ct);
                foreach (var (table, count) in received)
                    if (stored[table] != count)
                        throw new InvalidOperationException($"{table}: {count} rows received but {stored[table]} stored for tenant {tenant}; rolled back.");
                return stored;
            }, ct);
        }
        catch (ImportRefused refused)
        {
            return refused.Error;
        }
        await BuildCustomFieldIndexesAsync(tenant, ct);
        return CrmResult<IReadOnlyDictionary<string, long>>.Ok(written);
    }

    /// <summary>Filters on custom fields are served by shared expression indexes, built outside any transaction (as SaveAsync does).</summary>
    async Task BuildCustomFieldIndexesAsync(TenantId tenant, CancellationToken ct)
    {
        foreach (var definition in await new Schema.CustomFieldStore(db).ListAsync(tenant, ct))
        {
            var field = definition.Field;
            if (!field.Filterable || !CustomFieldBuilder.IsValidApiName(field.Name) || !StandardObjects.TryGet(definition.Object, out var obj)) continue;
            await db.CreateIndexAsync(PostgresCustomColumn.IndexName(obj, field), PostgresCustomColumn.IndexDdl(obj, field), ct);
        }
    }

    /// <summary>--replace: children first, the tenant row last; search_doc goes with its records (by trigger) and is swept for good measure.</summary>
    static async Task DeleteTenantAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        foreach (var table in TenantTables.All.Reverse().Append("search_doc").Where(t => t != TenantTables.Tenants).Append(TenantTables.Tenants))
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE {TenantTables.TenantColumn(table)} = @tenant", connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Each tenant table's columns (lower case, as PostgreSQL folds them) and their information_schema data types.</summary>
    static async Task<Dictionary<string, Dictionary<string, string>>> ColumnTypesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ANY(@tables)
            """, connection);
        command.Parameters.AddWithValue("tables", TenantTables.All.ToArray());
        var types = TenantTables.All.ToDictionary(table => table, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) types[reader.GetString(0)][reader.GetString(1)] = reader.GetString(2);
        return types;
    }

    static async Task InsertAsync(NpgsqlConnection connection, TableBatch batch, Dictionary<string, string> types, CancellationToken ct)
    {
        var columns = new string[batch.Columns.Count];
        var columnTypes = new string[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            // Only names the target's own schema lists reach the SQL, so a source column is never spliced in unchecked.
            columns[i] = batch.Columns[i].ToLowerInvariant();
            if (!types.TryGetValue(columns[i], out var type)) throw new ImportRefused(TenantImportErrors.UnknownColumn(batch.Table, batch.Columns[i]));
            columnTypes[i] = type;
        }
        string sql = $"INSERT INTO {batch.Table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$" + (i + 1)))})";
        await using var insert = new NpgsqlBatch(connection);
        foreach (var row in batch.Rows)
        {
            var command = new NpgsqlBatchCommand(sql);
            for (int i = 0; i < row.Length; i++) command.Parameters.Add(PostgresPortableValues.ToParameter(row[i], columnTypes[i], batch.Table, columns[i]));
            insert.BatchCommands.Add(command);
        }
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Ends the import's transaction with a rollback and carries the expected failure out of it.</summary>
    sealed class ImportRefused(CrmError error) : Exception(error.Message)
    {
        public CrmError Error { get; } = error;
    }
}
