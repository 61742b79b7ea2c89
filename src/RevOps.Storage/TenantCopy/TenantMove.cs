using System.Runtime.CompilerServices;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.TenantCopy;

/// <summary>
/// Moves one tenant from one database to another (revops migrate-data): the source is read in one
/// snapshot and written to the target in one transaction, which commits only when what it stored
/// equals what it was sent; then both sides are counted again for the report.
/// </summary>
public static class TenantMove
{
    public static async Task<CrmResult<TenantMoveReport>> MoveAsync(StorageBackend source, StorageBackend target, TenantId tenant, bool replace, CancellationToken ct)
    {
        if (target.TenantImport is not { } import)
            return new CrmError(ErrorCodes.InvalidArgument, $"{target.Kind} cannot take in a tenant yet; move tenants to PostgreSQL.");
        if (!await source.TenantRows.ExistsAsync(tenant, ct))
            return new CrmError(ErrorCodes.NotFound, $"no tenant {tenant} in {source.Location}. `revops tenant list --data …` shows the tenants there.");
        var sent = TenantTables.All.ToDictionary(table => table, _ => 0L, StringComparer.Ordinal);
        var imported = await import.ImportAsync(tenant, Counted(source.TenantRows.ReadAsync(tenant, ct), sent, ct), replace, ct);
        if (!imported.IsOk) return imported.Error;
        var inTarget = await target.TenantRows.CountAsync(tenant, ct);
        var inSourceNow = await source.TenantRows.CountAsync(tenant, ct);
        return new TenantMoveReport(tenant, sent, inTarget, inSourceNow);
    }

    static async IAsyncEnumerable<TableBatch> Counted(IAsyncEnumerable<TableBatch> batches, Dictionary<string, long> sent, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var batch in batches.WithCancellation(ct))
        {
            sent[batch.Table] += batch.Rows.Count;
            yield return batch;
        }
    }
}
