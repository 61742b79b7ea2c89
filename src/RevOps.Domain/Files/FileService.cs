using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Files;

/// <summary>
/// Files as Salesforce keeps them: a ContentVersion holds one upload's bytes (in the blob store, named by
/// their SHA-256), its ContentDocument is the file across versions (created with the first, updated with
/// each later one, which names it by ContentDocumentId), and FirstPublishLocationId links the document to a
/// record with a ContentDocumentLink. The bytes are durable before the records commit, and the records of
/// one upload commit together, so an acknowledged file is never a row without bytes.
/// </summary>
public sealed class FileService(RecordService records, IRecordStore store, IFileStore files, IFileBlobStore blobs, FileLimits limits)
{
    const int MaxWriteAttempts = 5;
    static readonly ObjectMetadata Version = StandardObjects.ContentVersion;
    static readonly ObjectMetadata Document = StandardObjects.ContentDocument;
    static readonly ObjectMetadata Link = StandardObjects.ContentDocumentLink;

    public FileLimits Limits => limits;

    /// <summary>
    /// Stores <paramref name="content"/> (at most <paramref name="maxBytes"/>, and what the tenant's quota has left)
    /// and creates the ContentVersion the <paramref name="fields"/> describe, with its document and link.
    /// </summary>
    public async Task<CrmResult<Record>> CreateVersionAsync(Caller caller, RecordInput fields, Stream content, long maxBytes, CancellationToken ct,
        string? idempotencyKey = null)
    {
        if (await CheckAsync(caller, fields, ct) is { } invalid) return invalid;
        var blob = await StoreAsync(caller, content, maxBytes, ct);
        return blob.IsOk ? await CreateVersionAsync(caller, fields, blob.Value, ct, idempotencyKey) : blob.Error;
    }

    /// <summary>
    /// Streams a file's bytes into the blob store, durable when this returns: at most <paramref name="maxBytes"/>
    /// (and the server's largest file) and what the tenant's quota has left. No record points at them yet.
    /// </summary>
    public async Task<CrmResult<StoredBlob>> StoreAsync(Caller caller, Stream content, long maxBytes, CancellationToken ct)
    {
        if (!caller.CanWrite) return RecordService.ReadOnlyKey(Version);
        long stored = await files.StoredBytesAsync(caller.Tenant, ct);
        long largest = Math.Min(maxBytes, limits.MaxFileBytes);
        bool full = false;
        async Task<bool> FitsAsync(StoredBlob hashed, CancellationToken c)
        {
            // Bytes the tenant stores already are one blob, counted once: storing them again costs no quota.
            if (stored + hashed.Size <= limits.TenantQuotaBytes || await files.IsReferencedAsync(caller.Tenant, hashed.Sha256, c)) return true;
            full = true;
            return false;
        }
        var blob = await blobs.PutAsync(caller.Tenant, content, largest, FitsAsync, ct);
        if (blob is not null) return blob;
        long left = Math.Max(0, limits.TenantQuotaBytes - stored);
        return full
            ? new CrmError(ErrorCodes.StorageLimitExceeded, $"This org's file storage is full: {stored:N0} of {limits.TenantQuotaBytes:N0} bytes are used, and the file does not fit in the {left:N0} left. Delete files (and empty the recycle bin) or ask an admin to raise the quota (--file-quota).", "VersionData")
            : new CrmError(ErrorCodes.StorageLimitExceeded, $"The file is larger than the {largest:N0} bytes allowed here. Send a larger file as multipart/form-data (up to {limits.MaxFileBytes:N0} bytes).", "VersionData");
    }

    /// <summary>
    /// Whether <paramref name="fields"/> would make a valid ContentVersion (values, required fields, references), checked
    /// before its bytes are stored whenever the fields come first; null when they would.
    /// </summary>
    public async Task<CrmError?> CheckAsync(Caller caller, RecordInput fields, CancellationToken ct)
    {
        if (!caller.CanWrite) return RecordService.ReadOnlyKey(Version);
        var prepared = await records.PrepareInsertAsync(caller, Version, fields, ct, throughFiles: true);
        return prepared.IsOk ? null : prepared.Error;
    }

    /// <summary>
    /// Creates the records of a version whose bytes are already in the blob store. With <paramref name="idempotencyKey"/>, the
    /// key commits with the records: of two uploads under one key, one commits and the other answers its version.
    /// </summary>
    public async Task<CrmResult<Record>> CreateVersionAsync(Caller caller, RecordInput fields, StoredBlob blob, CancellationToken ct, string? idempotencyKey = null)
    {
        if (fields.Fields.Any(f => string.Equals(f.Key, "VersionData", StringComparison.OrdinalIgnoreCase)))
            return new CrmError(ErrorCodes.InvalidArgument, "VersionData came twice: send it either as a base64 field or as the file part, not both.", "VersionData");
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var planned = await PlanAsync(caller, fields, blob, ct);
            if (!planned.IsOk) return planned.Error;
            var (version, writes) = planned.Value;
            // Which blob the version is goes in first: a row whose version never commits joins nothing and costs nothing.
            await files.RecordBlobAsync(caller.Tenant, version.Id, blob, ct);
            var key = idempotencyKey is null ? null
                : new IdempotencyEntry(idempotencyKey, blob.Sha256, Version.Name, version.Id, ChangeOperations.Created, (DateTime)version["CreatedDate"]!);
            var result = await store.CommitAsync(caller.Tenant, writes, key, ct);
            if (result.Committed) return new Record(Version, version.Values, version.Custom, 1);
            if (result.Failure == CommitFailure.IdempotencyKeyTaken && await store.FindIdempotencyAsync(caller.Tenant, idempotencyKey!, ct) is { } first
                && await store.GetAsync(caller.Tenant, Version, first.RecordId, ct) is { } committed)
                return committed;
            if (result.Failure != CommitFailure.VersionConflict) return new CrmError(ErrorCodes.Conflict, $"The file could not be saved ({result.Failure}). Retry the upload.");
            // Another version of the same document committed first: plan again on top of it.
        }
        return new CrmError(ErrorCodes.Conflict, "Other versions of this document are being uploaded right now. Retry the upload.");
    }

    /// <summary>The bytes of a version the caller's tenant holds, or NOT_FOUND (another tenant's Id finds nothing).</summary>
    public async Task<CrmResult<(Record Version, Stream Bytes)>> OpenAsync(Caller caller, string? versionId, CancellationToken ct)
    {
        var version = await records.GetAsync(caller, Version, versionId, ct);
        if (!version.IsOk) return version.Error;
        var bytes = await files.BlobOfAsync(caller.Tenant, version.Value.Id, ct) is { } hash ? await blobs.OpenReadAsync(caller.Tenant, hash, ct) : null;
        if (bytes is null) return CrmError.NotFound(Version.Name, versionId!);
        return (version.Value, bytes);
    }

    /// <summary>
    /// Removes the tenant's blobs written before <paramref name="before"/> that no ContentVersion (live or in the recycle
    /// bin) points at any more: the bytes of purged files, and of uploads whose records never committed. The grace period
    /// keeps a blob an upload has just stored (or stored again, which renews its time) until its records commit.
    /// </summary>
    public async Task<int> SweepAsync(TenantId tenant, DateTime before, CancellationToken ct)
    {
        int removed = 0;
        await foreach (string hash in blobs.ListAsync(tenant, before, ct))
            if (!await files.IsReferencedAsync(tenant, hash, ct) && await blobs.DeleteAsync(tenant, hash, ct)) removed++;
        return removed;
    }

    /// <summary>How long an unreferenced blob is kept before <see cref="SweepAsync"/> may remove it.</summary>
    public static readonly TimeSpan SweepGrace = TimeSpan.FromDays(1);

    async Task<CrmResult<(Record Version, IReadOnlyList<RecordWrite> Writes)>> PlanAsync(Caller caller, RecordInput fields, StoredBlob blob, CancellationToken ct)
    {
        var prepared = await records.PrepareInsertAsync(caller, Version, fields, ct, throughFiles: true);
        if (!prepared.IsOk) return prepared.Error;
        var version = prepared.Value.Record;
        string path = (string)version["PathOnClient"]!;
        string extension = FileTypes.Extension(path);
        version["Title"] ??= FileTypes.TitleOf(path);
        version["ContentSize"] = blob.Size;
        version["FileExtension"] = extension;
        version["FileType"] = FileTypes.TypeOf(extension);
        version["Checksum"] = blob.Md5;
        version["IsLatest"] = true;
        var now = (DateTime)version["CreatedDate"]!;
        var writes = new List<RecordWrite>();

        if (version["ContentDocumentId"] is string documentId)
        {
            if (version["FirstPublishLocationId"] is not null)
                return new CrmError(ErrorCodes.InvalidArgument, "FirstPublishLocationId links a document's first version only; a new version (with ContentDocumentId) belongs to the records its document is already linked to. Leave FirstPublishLocationId out, or create a ContentDocumentLink.", "FirstPublishLocationId");
            var document = await store.GetAsync(caller.Tenant, Document, documentId, ct);
            if (document is null || document.IsDeleted) return CrmError.NotFound(Document.Name, documentId);
            int number = 1;
            if (document["LatestPublishedVersionId"] is string latestId && await store.GetAsync(caller.Tenant, Version, latestId, ct) is { } latest)
            {
                number = int.TryParse(latest["VersionNumber"] as string, out int n) ? n + 1 : 2;
                writes.Add(SystemUpdate(caller, latest, r => r["IsLatest"] = false, now));
            }
            version["VersionNumber"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            writes.Add(Created(caller, prepared.Value, version, now));
            writes.Add(SystemUpdate(caller, document, d => Describe(d, version), now));
            return (version, writes);
        }

        var newDocument = await records.PrepareInsertAsync(caller, Document, Input(("Title", version["Title"]), ("OwnerId", version["OwnerId"])), ct, throughFiles: true);
        if (!newDocument.IsOk) return newDocument.Error;
        var doc = newDocument.Value.Record;
        Describe(doc, version);
        version["ContentDocumentId"] = doc.Id;
        version["VersionNumber"] = "1";
        writes.Add(Created(caller, newDocument.Value, doc, now));
        writes.Add(Created(caller, prepared.Value, version, now));
        if (version["FirstPublishLocationId"] is string parentId)
        {
            var link = await records.PrepareInsertAsync(caller, Link, Input(("ContentDocumentId", doc.Id), ("LinkedEntityId", parentId), ("ShareType", "V")), ct,
                pending: new HashSet<string>(StringComparer.Ordinal) { doc.Id });
            if (!link.IsOk) return link.Error;
            writes.Add(link.Value);
        }
        return (version, writes);
    }

    /// <summary>A document shows its latest version's title, size and type.</summary>
    static void Describe(Record document, Record version)
    {
        document["Title"] = version["Title"];
        document["LatestPublishedVersionId"] = version.Id;
        document["ContentSize"] = version["ContentSize"];
        document["FileType"] = version["FileType"];
        document["FileExtension"] = version["FileExtension"];
    }

    /// <summary>The insert with its change-log entry listing the values the file service derived as well.</summary>
    static RecordWrite Created(Caller caller, RecordWrite prepared, Record record, DateTime now) =>
        prepared with { Change = ChangeEntry.By(caller, record.Object.Name, record.Id, ChangeOperations.Created, RecordService.CreatedChanges(record), now) };

    /// <summary>An update of fields callers cannot write (IsLatest, LatestPublishedVersionId), applied only if the row is still as read.</summary>
    static RecordWrite SystemUpdate(Caller caller, Record before, Action<Record> change, DateTime now)
    {
        var after = before.Copy();
        change(after);
        after["LastModifiedDate"] = now;
        after["SystemModstamp"] = now;
        after["LastModifiedById"] = caller.ActorId;
        var changes = RecordService.Diff(before, after).Where(c => !StandardObjects.AuditFields.Contains(c.Field)).ToList();
        return new RecordWrite(after, before.Version, ChangeEntry.By(caller, before.Object.Name, before.Id, ChangeOperations.Updated, changes, now));
    }

    static RecordInput Input(params (string Name, object? Value)[] values) =>
        new(values.Where(v => v.Value is not null)
            .Select(v => new KeyValuePair<string, JsonElement>(v.Name, JsonSerializer.SerializeToElement((string)v.Value!, DomainJson.Default.String)))
            .ToArray());
}
