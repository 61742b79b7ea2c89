using System.Data;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Npgsql;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Storage.TenantCopy;

namespace RevOps.Storage.Postgres;

/// <summary>
/// A tenant's rows in PostgreSQL, read and written in its tenant transaction (row-level security
/// holds throughout). Values cross in <see cref="TableBatch"/>'s portable form and are converted
/// to and from each column's type, which information_schema names.
/// </summary>
internal sealed class PostgresTenantRows(PostgresDatabase db) : ITenantRows, ITenantImport
{
    const int BatchSize = 500;

    public Task<bool> ExistsAsync(TenantId tenant, CancellationToken ct) =>
        db.InTenantAsync(tenant, connection => TenantExistsAsync(connection, tenant, ct), ct);

    public Task<IReadOnlyDictionary<string, long>> CountAsync(TenantId tenant, CancellationToken ct) =>
        db.InTenantAsync(tenant, connection => CountAsync(connection, tenant, ct), ct, IsolationLevel.RepeatableRead);

    public async IAsyncEnumerable<TableBatch> ReadAsync(TenantId tenant, [EnumeratorCancellation] CancellationToken ct)
    {
        // The transaction's work cannot yield, so it hands batches over a bounded channel: a few in memory at a time.
        var channel = Channel.CreateBounded<TableBatch>(4);
        var reading = Task.Run(async () =>
        {
            try
            {
                await db.InTenantAsync(tenant, async connection =>
                {
                    foreach (var table in TenantTables.All) await ReadTableAsync(connection, tenant, table, channel.Writer, ct);
                    return 0;
                }, ct, IsolationLevel.RepeatableRead);
                channel.Writer.Complete();
            }
            catch (Exception failure)
            {
                channel.Writer.Complete(failure);
            }
        }, ct);
        await foreach (var batch in channel.Reader.ReadAllAsync(ct)) yield return batch;
        await reading;
    }

    public async Task<CrmResult<IReadOnlyDictionary<string, long>>> ImportAsync(TenantId tenant, IAsyncEnumerable<TableBatch> batches, bool replace, CancellationToken ct)
    {
        IReadOnlyDictionary<string, long> written;
        try
        {
            written = await db.InTenantAsync(tenant, async connection =>
            {
                if (await TenantExistsAsync(connection, tenant, ct))
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
                var stored = await CountAsync(connection, tenant, ct);
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

    static async Task<bool> TenantExistsAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM tenants WHERE id = @tenant", connection);
        PostgresValues.AddTenant(command.Parameters, tenant);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    static async Task<IReadOnlyDictionary<string, long>> CountAsync(NpgsqlConnection connection, TenantId tenant, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in TenantTables.All)
        {
            await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table} WHERE {TenantTables.TenantColumn(table)} = @tenant", connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            counts[table] = (long)(await command.ExecuteScalarAsync(ct))!;
        }
        return counts;
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

    static async Task ReadTableAsync(NpgsqlConnection connection, TenantId tenant, string table, ChannelWriter<TableBatch> output, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT * FROM {table} WHERE {TenantTables.TenantColumn(table)} = @tenant", connection);
        PostgresValues.AddTenant(command.Parameters, tenant);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new string[reader.FieldCount];
        for (int i = 0; i < columns.Length; i++) columns[i] = reader.GetName(i);
        var rows = new List<object?[]>(BatchSize);
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[columns.Length];
            for (int i = 0; i < row.Length; i++) row[i] = PostgresPortableValues.FromColumn(reader, i);
            rows.Add(row);
            if (rows.Count == BatchSize)
            {
                await output.WriteAsync(new TableBatch(table, columns, rows), ct);
                rows = new List<object?[]>(BatchSize);
            }
        }
        if (rows.Count > 0) await output.WriteAsync(new TableBatch(table, columns, rows), ct);
    }

    /// <summary>Ends the import's transaction with a rollback and carries the expected failure out of it.</summary>
    sealed class ImportRefused(CrmError error) : Exception(error.Message)
    {
        public CrmError Error { get; } = error;
    }
}
