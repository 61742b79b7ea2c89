using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Changes;

/// <summary>Reads one tenant's change log; rows are written by <see cref="IRecordStore.CommitAsync"/> in the data's own transaction.</summary>
public interface IChangeStore
{
    /// <summary>Rows matching the filter, in sequence order.</summary>
    Task<IReadOnlyList<ChangeRow>> ListAsync(TenantId tenant, ChangeFilter filter, CancellationToken ct);

    Task<ChangeRow?> GetAsync(TenantId tenant, long seq, CancellationToken ct);

    /// <summary>Every row of one record, oldest first.</summary>
    Task<IReadOnlyList<ChangeRow>> HistoryAsync(TenantId tenant, string recordId, CancellationToken ct);

    /// <summary>The tenant's latest sequence (0 before its first change).</summary>
    Task<long> LatestSeqAsync(TenantId tenant, CancellationToken ct);

    /// <summary>
    /// Completes when this process commits a change after <paramref name="afterSeq"/>, or after
    /// <paramref name="maxWait"/>: other nodes' commits show up in the read that follows a timeout.
    /// </summary>
    Task WaitForChangeAsync(TenantId tenant, long afterSeq, TimeSpan maxWait, CancellationToken ct);
}
