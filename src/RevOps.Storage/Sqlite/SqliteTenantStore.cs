using Dapper;
using RevOps.Domain.Audit;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Sqlite;

public sealed class SqliteTenantStore(SqliteDatabase db) : ITenantStore
{
    const string KeyColumns = "tenant_id AS TenantId, id AS Id, key_hash AS Hash, prefix AS Prefix, scopes AS Scopes, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt, last_used_at AS LastUsedAt";
    const string TenantColumns = "id AS Id, name AS Name, domain AS Domain, subscription_tier AS SubscriptionTier, created_at AS CreatedAt";

    public Task CreateAsync(Tenant tenant, ApiKey firstKey, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(session =>
        {
            session.Connection.Execute(
                "INSERT INTO tenants (id, name, domain, subscription_tier, created_at) VALUES (@Id, @Name, @Domain, @Tier, @CreatedAt)",
                new { Id = tenant.Id.ToString(), tenant.Name, tenant.Domain, Tier = tenant.SubscriptionTier, CreatedAt = Time(tenant.CreatedAt) });
            InsertKey(session, firstKey);
            SqliteAudit.Append(session, audit);
            return 0;
        }, ct);

    public Task<Tenant?> GetAsync(TenantId id, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
            session.Connection.QuerySingleOrDefault<TenantRow>($"SELECT {TenantColumns} FROM tenants WHERE id = @Id", new { Id = id.ToString() })?.ToTenant()));

    public Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Tenant>>(db.Read(session =>
            session.Connection.Query<TenantRow>($"SELECT {TenantColumns} FROM tenants ORDER BY created_at").Select(r => r.ToTenant()).ToList()));

    public Task AddKeyAsync(ApiKey key, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(session =>
        {
            InsertKey(session, key);
            SqliteAudit.Append(session, audit);
            return 0;
        }, ct);

    public Task<ApiKey?> FindKeyByHashAsync(string hash, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
        {
            var command = session.Command($"SELECT tenant_id, id, key_hash, prefix, scopes, created_at, expires_at, revoked_at, last_used_at FROM api_keys WHERE key_hash = $hash");
            command.Parameters.AddWithValue("$hash", hash);
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            return new ApiKey(reader.GetString(1), new TenantId(Guid.Parse(reader.GetString(0))), reader.GetString(2), reader.GetString(3),
                (Scopes)reader.GetInt64(4), ParseTime(reader.GetString(5)), NullableTime(reader, 6), NullableTime(reader, 7), NullableTime(reader, 8));
        }));

    public Task<ApiKey?> FindKeyAsync(string keyId, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
            session.Connection.QuerySingleOrDefault<KeyRow>($"SELECT {KeyColumns} FROM api_keys WHERE id = @Id", new { Id = keyId })?.ToKey()));

    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(TenantId tenant, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ApiKey>>(db.Read(session =>
            session.Connection.Query<KeyRow>($"SELECT {KeyColumns} FROM api_keys WHERE tenant_id = @Tenant ORDER BY created_at", new { Tenant = tenant.ToString() })
                .Select(r => r.ToKey()).ToList()));

    public Task<bool> RevokeKeyAsync(TenantId tenant, string keyId, DateTime at, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(session =>
        {
            bool revoked = session.Connection.Execute(
                "UPDATE api_keys SET revoked_at = @At WHERE tenant_id = @Tenant AND id = @Id AND revoked_at IS NULL",
                new { Tenant = tenant.ToString(), Id = keyId, At = Time(at) }) > 0;
            if (revoked) SqliteAudit.Append(session, audit);
            return revoked;
        }, ct);

    public Task TouchKeysAsync(IReadOnlyDictionary<string, DateTime> lastUsed, CancellationToken ct) =>
        db.WriteAsync(session =>
        {
            foreach (var (id, at) in lastUsed)
                session.Connection.Execute("UPDATE api_keys SET last_used_at = @At WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < @At)", new { Id = id, At = Time(at) });
            return 0;
        }, ct);

    static void InsertKey(SqliteSession session, ApiKey key) =>
        session.Connection.Execute(
            """
            INSERT INTO api_keys (tenant_id, id, key_hash, prefix, scopes, created_at, expires_at)
            VALUES (@Tenant, @Id, @Hash, @Prefix, @Scopes, @CreatedAt, @ExpiresAt)
            """,
            new { Tenant = key.Tenant.ToString(), key.Id, key.Hash, key.Prefix, Scopes = (long)key.Scopes, CreatedAt = Time(key.CreatedAt), ExpiresAt = key.ExpiresAt is { } e ? Time(e) : null });

    static string Time(DateTime time) => SqliteValues.FormatDateTime(time);

    static DateTime ParseTime(string text) => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    static DateTime? NullableTime(Microsoft.Data.Sqlite.SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ParseTime(reader.GetString(ordinal));

    sealed record TenantRow(string Id, string Name, string? Domain, string SubscriptionTier, string CreatedAt)
    {
        public Tenant ToTenant() => new(new TenantId(Guid.Parse(Id)), Name, Domain, SubscriptionTier, ParseTime(CreatedAt));
    }

    sealed record KeyRow(string TenantId, string Id, string Hash, string Prefix, long Scopes, string CreatedAt, string? ExpiresAt, string? RevokedAt, string? LastUsedAt)
    {
        public ApiKey ToKey() => new(Id, new TenantId(Guid.Parse(TenantId)), Hash, Prefix, (Scopes)Scopes, ParseTime(CreatedAt),
            ExpiresAt is null ? null : ParseTime(ExpiresAt), RevokedAt is null ? null : ParseTime(RevokedAt), LastUsedAt is null ? null : ParseTime(LastUsedAt));
    }
}
