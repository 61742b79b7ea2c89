using RevOps.Domain.Files;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Files;

/// <summary>
/// The quota's sum and the blob sweep's question, over the tenant's ContentVersion rows (recycle bin included: its files can
/// come back) and their blobs' SHA-256 in content_blob (migration 0033; Checksum holds the MD5 clients see).
/// </summary>
internal sealed class FileStore(SqlDatabase db) : IFileStore
{
    const string StoredBytesSql = """
        SELECT coalesce(sum(size), 0) FROM (
            SELECT max(b.size) AS size FROM content_blob b
            JOIN content_version v ON v.tenant_id = b.tenant_id AND v.Id = b.version_id
            WHERE b.tenant_id = @tenant GROUP BY b.sha256
        ) blobs
        """;

    const string ReferencedSql = """
        SELECT 1 FROM content_blob b JOIN content_version v ON v.tenant_id = b.tenant_id AND v.Id = b.version_id
        WHERE b.tenant_id = @tenant AND b.sha256 = @hash LIMIT 1
        """;

    const string RecordSql = """
        INSERT INTO content_blob (tenant_id, version_id, sha256, size) VALUES (@tenant, @version, @hash, @size)
        ON CONFLICT (tenant_id, version_id) DO NOTHING
        """;

    const string BlobOfSql = "SELECT sha256 FROM content_blob WHERE tenant_id = @tenant AND version_id = @version";

    public Task<long> StoredBytesAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(StoredBytesSql);
            session.Dialect.AddTenant(command, tenant);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }, ct);

    public Task<bool> IsReferencedAsync(TenantId tenant, string sha256, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(ReferencedSql);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@hash", sha256);
            return await command.ExecuteScalarAsync(ct) is not null;
        }, ct);

    public Task RecordBlobAsync(TenantId tenant, string versionId, StoredBlob blob, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var command = session.Command(RecordSql);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@version", versionId);
            session.Dialect.AddText(command, "@hash", blob.Sha256);
            session.Dialect.AddLong(command, "@size", blob.Size);
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }, ct);

    public Task<string?> BlobOfAsync(TenantId tenant, string versionId, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(BlobOfSql);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@version", versionId);
            return await command.ExecuteScalarAsync(ct) as string;
        }, ct);
}
