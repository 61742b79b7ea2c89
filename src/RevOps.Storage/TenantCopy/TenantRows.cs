using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.TenantCopy;

/// <summary>
/// A tenant's rows as stored, on either engine, in <see cref="TableBatch"/>'s portable form (SQLite's
/// storage form; PostgreSQL's typed values are converted by the dialect). Counts and reads run in one
/// snapshot of the tenant, so every table is read as of one moment while the server keeps writing.
/// </summary>
internal sealed class TenantRows(SqlDatabase db) : ITenantRows
{
    const int BatchSize = 500;

    public Task<bool> ExistsAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync(tenant, session => ExistsAsync(session, tenant, ct), ct);

    public Task<IReadOnlyDictionary<string, long>> CountAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync(tenant, session => CountAsync(session, tenant, ct), ct, snapshot: true);

    public async IAsyncEnumerable<TableBatch> ReadAsync(TenantId tenant, [EnumeratorCancellation] CancellationToken ct)
    {
        // The snapshot's work cannot yield to the caller, so it hands batches over a bounded channel: a few in memory at a time.
        var channel = Channel.CreateBounded<TableBatch>(4);
        var reading = Task.Run(async () =>
        {
            try
            {
                await db.ReadAsync(tenant, async session =>
                {
                    foreach (var table in TenantTables.All) await ReadTableAsync(session, tenant, table, channel.Writer, ct);
                    return 0;
                }, ct, snapshot: true);
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

    internal static async Task<bool> ExistsAsync(SqlSession session, TenantId tenant, CancellationToken ct)
    {
        var command = session.Command("SELECT 1 FROM tenants WHERE id = @tenant");
        session.Dialect.AddTenant(command, tenant);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>Rows per table of <see cref="TenantTables.All"/>, zeros included.</summary>
    internal static async Task<IReadOnlyDictionary<string, long>> CountAsync(SqlSession session, TenantId tenant, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in TenantTables.All)
        {
            var command = session.Command($"SELECT COUNT(*) FROM {table} WHERE {TenantTables.TenantColumn(table)} = @tenant");
            session.Dialect.AddTenant(command, tenant);
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        return counts;
    }

    static async Task ReadTableAsync(SqlSession session, TenantId tenant, string table, ChannelWriter<TableBatch> output, CancellationToken ct)
    {
        // No ORDER BY: the tenant-first primary key index streams the rows without a sort.
        var command = session.Command($"SELECT * FROM {table} WHERE {TenantTables.TenantColumn(table)} = @tenant");
        session.Dialect.AddTenant(command, tenant);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new string[reader.FieldCount];
        for (int i = 0; i < columns.Length; i++) columns[i] = reader.GetName(i);
        var rows = new List<object?[]>(BatchSize);
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[columns.Length];
            for (int i = 0; i < row.Length; i++) row[i] = session.Dialect.ReadPortable(reader, i);
            rows.Add(row);
            if (rows.Count == BatchSize)
            {
                await output.WriteAsync(new TableBatch(table, columns, rows), ct);
                rows = new List<object?[]>(BatchSize);
            }
        }
        if (rows.Count > 0) await output.WriteAsync(new TableBatch(table, columns, rows), ct);
    }
}
