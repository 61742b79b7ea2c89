using RevOps.Domain.Files;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Files;

/// <summary>The quota's sum and the blob sweep's question, over the tenant's ContentVersion rows (recycle bin included: its files can come back).</summary>
internal sealed class FileStore(SqlDatabase db) : IFileStore
{
    const string StoredBytesSql = """
        SELECT coalesce(sum(size), 0) FROM (
            SELECT max(ContentSize) AS size FROM content_version WHERE tenant_id = @tenant GROUP BY Checksum
        ) blobs
        """;

    const string ReferencedSql = "SELECT 1 FROM content_version WHERE tenant_id = @tenant AND Checksum = @hash LIMIT 1";

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
}
