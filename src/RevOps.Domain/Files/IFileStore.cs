using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Files;

/// <summary>What the database says about a tenant's files beyond their records: the bytes they hold, which blobs are still pointed at.</summary>
public interface IFileStore
{
    /// <summary>Bytes of the tenant's distinct blobs (by SHA-256) that a ContentVersion (live or in the recycle bin) points at: what counts against the quota.</summary>
    Task<long> StoredBytesAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Whether any ContentVersion of the tenant, live or in the recycle bin, points at the blob.</summary>
    Task<bool> IsReferencedAsync(TenantId tenant, string sha256, CancellationToken ct);

    /// <summary>Notes which blob a version's bytes are (by SHA-256), before the version's row commits; a second call for the same version changes nothing.</summary>
    Task RecordBlobAsync(TenantId tenant, string versionId, StoredBlob blob, CancellationToken ct);

    /// <summary>The SHA-256 of the version's bytes, or null when the tenant has no such version.</summary>
    Task<string?> BlobOfAsync(TenantId tenant, string versionId, CancellationToken ct);
}
