using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Records;

/// <summary>
/// Records of one tenant at a time: every method takes the tenant first and every statement
/// behind it filters on it. Writes append their change-log rows in the same transaction.
/// </summary>
public interface IRecordStore
{
    /// <summary>The record, live or in the recycle bin.</summary>
    Task<Record?> GetAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct);

    /// <summary>Whether a live (not deleted) record has this Id.</summary>
    Task<bool> ExistsAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct);

    /// <summary>Which of <paramref name="ids"/> are live records: a batch's references looked up in one query.</summary>
    Task<IReadOnlySet<string>> LiveAmongAsync(TenantId tenant, ObjectMetadata obj, IReadOnlyCollection<string> ids, CancellationToken ct);

    Task<IReadOnlyList<Record>> QueryAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct);

    /// <summary>How many records match the query's conditions (limit and offset ignored).</summary>
    Task<long> CountAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct);

    /// <summary>
    /// Writes all records and their changes in one transaction, or none of them. With an
    /// idempotency entry, records it in the same transaction (keyed by its first record). With an import mark,
    /// advances the import job in the same transaction (so a replayed import never writes a row twice).
    /// </summary>
    Task<CommitResult> CommitAsync(TenantId tenant, IReadOnlyList<RecordWrite> writes, IdempotencyEntry? idempotency, CancellationToken ct,
        Imports.ImportMark? mark = null);

    Task<IdempotencyEntry?> FindIdempotencyAsync(TenantId tenant, string key, CancellationToken ct);

    /// <summary>Removes for good the records deleted before the cutoff and idempotency keys older than theirs; returns the records removed.</summary>
    Task<int> PurgeAsync(TenantId tenant, DateTime deletedBefore, DateTime idempotencyBefore, CancellationToken ct);
}
