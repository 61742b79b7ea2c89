using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Files;

/// <summary>
/// The bytes of files, content-addressed by SHA-256 within one tenant: the same bytes uploaded twice by a
/// tenant are stored once, and one tenant's blobs are never reachable through another's. Which records
/// point at a blob is the database's business (ContentVersion.Checksum), never the blob store's.
/// </summary>
public interface IFileBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store, hashing as it goes, asks <paramref name="admit"/> whether
    /// the hashed bytes may be kept (the quota: bytes the tenant stores already cost nothing again), and makes them
    /// durable (written, flushed, in place under their hash) before the task completes. Null when the content runs
    /// past <paramref name="maxBytes"/> or is not admitted: then nothing of it is kept.
    /// </summary>
    Task<StoredBlob?> PutAsync(TenantId tenant, Stream content, long maxBytes, Func<StoredBlob, CancellationToken, Task<bool>> admit, CancellationToken ct);

    /// <summary>The blob's bytes to stream, or null when the tenant has no blob of that hash.</summary>
    Task<Stream?> OpenReadAsync(TenantId tenant, string sha256, CancellationToken ct);

    /// <summary>Removes the blob (no record points at it any more); false when there was none.</summary>
    Task<bool> DeleteAsync(TenantId tenant, string sha256, CancellationToken ct);

    /// <summary>The tenant's blobs written before <paramref name="before"/>, for sweeping the ones no record points at.</summary>
    IAsyncEnumerable<string> ListAsync(TenantId tenant, DateTime before, CancellationToken ct);
}
