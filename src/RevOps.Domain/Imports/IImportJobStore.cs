using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Imports;

/// <summary>
/// Import jobs of one tenant at a time. Their progress moves only inside record commits
/// (<see cref="Records.IRecordStore.CommitAsync"/> with an <see cref="ImportMark"/>), never on its own.
/// </summary>
public interface IImportJobStore
{
    /// <summary>The latest job of this file with these options, finished or not; null when there is none.</summary>
    Task<ImportJob?> FindLatestAsync(TenantId tenant, string fingerprint, string options, CancellationToken ct);

    Task<ImportJob?> GetAsync(TenantId tenant, string id, CancellationToken ct);

    Task StartAsync(TenantId tenant, ImportJob job, CancellationToken ct);

    /// <summary>Marks the job finished; false when it is not running with its rows committed up to <paramref name="lastRow"/>.</summary>
    Task<bool> FinishAsync(TenantId tenant, string id, long lastRow, DateTime at, CancellationToken ct);

    /// <summary>The rows the job did not write (failed or skipped), in row order, without their cells.</summary>
    Task<IReadOnlyList<ImportRowResult>> NotWrittenAsync(TenantId tenant, string id, CancellationToken ct);
}
