using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.TenantCopy;

/// <summary>Takes in a whole tenant read by <see cref="ITenantRows.ReadAsync"/> from another database.</summary>
public interface ITenantImport
{
    /// <summary>
    /// Writes every batch in one transaction, then counts what it wrote per table in that transaction
    /// and commits only when the counts equal the rows received: the tenant arrives whole or not at all.
    /// Fails with <see cref="TenantImportErrors.TenantExists"/> when the tenant is already here, unless
    /// <paramref name="replace"/>, which deletes its rows first in the same transaction.
    /// </summary>
    Task<CrmResult<IReadOnlyDictionary<string, long>>> ImportAsync(TenantId tenant, IAsyncEnumerable<TableBatch> batches, bool replace, CancellationToken ct);
}
