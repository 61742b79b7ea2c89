using RevOps.Domain.Tenancy;

namespace RevOps.Storage.TenantCopy;

/// <summary>
/// One tenant's rows of every table in <see cref="TenantTables.All"/>, as they are stored: the bulk
/// path under the domain stores, for moving a tenant between databases with every id, sequence,
/// key hash and timestamp unchanged. Every statement is filtered on the tenant.
/// </summary>
public interface ITenantRows
{
    /// <summary>Whether the tenant row exists.</summary>
    Task<bool> ExistsAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Rows per table (every table of <see cref="TenantTables.All"/>, zeros included), read in one snapshot.</summary>
    Task<IReadOnlyDictionary<string, long>> CountAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Every row of the tenant, table by table in <see cref="TenantTables.All"/> order, all from one snapshot.</summary>
    IAsyncEnumerable<TableBatch> ReadAsync(TenantId tenant, CancellationToken ct);
}
