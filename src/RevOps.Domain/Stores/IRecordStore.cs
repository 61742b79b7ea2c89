using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Stores;

/// <summary>
/// Records of one tenant at a time: every method takes the tenant first and every statement
/// behind it filters on it. Writes append their change-log row in the same transaction.
/// </summary>
public interface IRecordStore
{
    Task<Record?> GetAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct);

    Task<bool> ExistsAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct);

    Task<IReadOnlyList<Record>> QueryAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct);

    /// <summary>Inserts the record and its change; returns the change's sequence number.</summary>
    Task<long> InsertAsync(TenantId tenant, Record record, ChangeEntry change, CancellationToken ct);

    /// <summary>
    /// Replaces the record's values if it is still at <paramref name="expectedVersion"/>;
    /// returns the change's sequence number, or null when someone else wrote it first.
    /// </summary>
    Task<long?> UpdateAsync(TenantId tenant, Record record, long expectedVersion, ChangeEntry change, CancellationToken ct);
}
