using RevOps.Domain.Tenancy;

namespace RevOps.Domain.BulkJobs;

/// <summary>A stored part of a job: uploaded rows ("data"), a processed part's results ("ok", "fail") or query result rows ("result").</summary>
public sealed record BulkPart(int Seq, int Rows, string Body);

public static class BulkPartKind
{
    public const string Data = "data";
    public const string Ok = "ok";
    public const string Fail = "fail";
    public const string Result = "result";
}

/// <summary>A job a runner claimed: <see cref="Resumed"/> when it was in progress before (a node stopped while processing it).</summary>
public sealed record BulkClaim(TenantId Tenant, BulkJob Job, bool Resumed);

/// <summary>Bulk API 2.0 jobs and their data, per tenant; the claim of runnable jobs spans tenants.</summary>
public interface IBulkJobStore
{
    Task CreateAsync(TenantId tenant, BulkJob job, CancellationToken ct);

    Task<BulkJob?> GetAsync(TenantId tenant, string id, CancellationToken ct);

    /// <summary>The tenant's jobs of a kind, newest first.</summary>
    Task<IReadOnlyList<BulkJob>> ListAsync(TenantId tenant, BulkJobKind kind, int limit, CancellationToken ct);

    /// <summary>
    /// Adds uploaded parts numbered from <paramref name="firstSeq"/> to an Open job whose part count is still firstSeq, and sets
    /// the headers when none are set; false (nothing stored) when the job is no longer Open or another upload came first.
    /// </summary>
    Task<bool> AppendDataAsync(TenantId tenant, string id, int firstSeq, IReadOnlyList<BulkPart> parts, IReadOnlyList<string> headers, long bytes, DateTime now, CancellationToken ct);

    /// <summary>Removes an upload's parts from <paramref name="fromSeq"/> on (a PUT that failed half-way) and sets the counts back.</summary>
    Task RemoveDataAsync(TenantId tenant, string id, int fromSeq, long rows, long bytes, DateTime now, CancellationToken ct);

    /// <summary>Moves the job to <paramref name="to"/> when its state is one of <paramref name="from"/>; the job after, or null when it is not in one of them (or missing).</summary>
    Task<BulkJob?> SetStateAsync(TenantId tenant, string id, IReadOnlyCollection<string> from, string to, string? error, DateTime now, CancellationToken ct);

    /// <summary>Deletes the job and its parts.</summary>
    Task<bool> DeleteAsync(TenantId tenant, string id, CancellationToken ct);

    /// <summary>Claims, across tenants, one job that is UploadComplete or whose InProgress lease ran out, until <paramref name="leaseUntil"/>.</summary>
    Task<BulkClaim?> ClaimAsync(DateTime now, DateTime leaseUntil, CancellationToken ct);

    /// <summary>The parts of one kind with seq in [from, to), in order.</summary>
    Task<IReadOnlyList<BulkPart>> PartsAsync(TenantId tenant, string id, string kind, int from, int to, CancellationToken ct);

    /// <summary>
    /// Stores a processed data part's results and counts, moves chunks_done from seq to seq + 1 and renews the lease, in one
    /// transaction; false when the job is no longer InProgress at that part (aborted, or taken over).
    /// </summary>
    Task<bool> CompletePartAsync(TenantId tenant, string id, int seq, BulkPart? ok, BulkPart? fail, long processed, long failed, DateTime now, DateTime leaseUntil, CancellationToken ct);

    /// <summary>Stores query result parts and the row count, and renews the lease; false when the job is no longer InProgress.</summary>
    Task<bool> AppendResultsAsync(TenantId tenant, string id, IReadOnlyList<BulkPart> parts, long rows, DateTime now, DateTime leaseUntil, CancellationToken ct);

    /// <summary>The records (Id, operation) the change log holds for a request since a time, oldest first.</summary>
    Task<IReadOnlyList<(string RecordId, string Operation)>> ChangesOfRequestAsync(TenantId tenant, string requestId, DateTime since, CancellationToken ct);
}
