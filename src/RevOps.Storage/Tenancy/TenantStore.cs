using System.Data.Common;
using RevOps.Domain.Audit;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Audit;
using RevOps.Storage.ChangeLog;
using RevOps.Storage.Records;
using RevOps.Storage.Sql;
using RevOps.Storage.Users;

namespace RevOps.Storage.Tenancy;

/// <summary>
/// Tenants and API keys. A tenant's own rows are read and written in its tenant transaction; the
/// lookups that come before a tenant is known (a key by hash or id), the tenant list and the batched
/// last-use times run across tenants (on PostgreSQL as the operator, see PostgresDatabase).
/// </summary>
internal sealed class TenantStore(SqlDatabase db) : ITenantStore
{
    // A key is read with its user's name and state: a deactivated user's keys stop working.
    const string KeyColumns = "k.tenant_id, k.id, k.key_hash, k.prefix, k.scopes, k.created_at, k.expires_at, k.revoked_at, k.last_used_at, k.user_id, u.Name, u.IsActive";
    const string KeysWithUsers = "api_keys k LEFT JOIN users u ON u.tenant_id = k.tenant_id AND u.Id = k.user_id";
    const string TenantColumns = "id, name, domain, subscription_tier, created_at";

    const string InsertTenant = "INSERT INTO tenants (id, name, domain, subscription_tier, created_at) VALUES (@tenant, @name, @domain, @tier, @at)";

    const string InsertKey = """
        INSERT INTO api_keys (tenant_id, id, key_hash, prefix, scopes, created_at, expires_at, user_id)
        VALUES (@tenant, @id, @hash, @prefix, @scopes, @created, @expires, @user)
        """;

    const string Revoke = "UPDATE api_keys SET revoked_at = @at WHERE tenant_id = @tenant AND id = @id AND revoked_at IS NULL";

    readonly string _touch = $"""
        UPDATE api_keys AS k SET last_used_at = v.at
        FROM {db.Dialect.IdTimes("used", "v")}
        WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.at)
        """;

    readonly RecordSql _users = new(StandardObjects.User, db.Dialect);

    public async Task<bool> CreateAsync(Tenant tenant, RecordWrite firstUser, ApiKey firstKey, AuditEntry audit, CancellationToken ct)
    {
        try
        {
            await db.WriteAsync(tenant.Id, async session =>
            {
                var d = session.Dialect;
                var command = session.Command(InsertTenant);
                d.AddTenant(command, tenant.Id);
                d.AddText(command, "@name", tenant.Name);
                d.AddText(command, "@domain", tenant.Domain);
                d.AddText(command, "@tier", tenant.SubscriptionTier);
                d.AddTime(command, "@at", tenant.CreatedAt);
                await command.ExecuteNonQueryAsync(ct);
                // The tenant's change log starts with its first CRM write; the tenant.create audit row names the first user.
                await RecordRowWrite.WriteAsync(session, _users, tenant.Id, firstUser, null, null, ct);
                await UserAccessRows.SetAdminAsync(session, tenant.Id, firstUser.Record.Id, true, ct);
                await InsertKeyAsync(session, firstKey, ct);
                await AuditAppend.AppendAsync(session, audit, ct);
                return 0;
            }, ct);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return false; // the username, taken between the check and this write
        }
        return true;
    }

    public Task<Tenant?> GetAsync(TenantId id, CancellationToken ct) =>
        db.ReadAsync(id, async session =>
        {
            var command = session.Command($"SELECT {TenantColumns} FROM tenants WHERE id = @tenant");
            session.Dialect.AddTenant(command, id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadTenant(session.Dialect, reader) : null;
        }, ct);

    /// <summary>Every tenant: a read across tenants (revops tenant list).</summary>
    public Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct) =>
        db.ReadAcrossTenantsAsync<IReadOnlyList<Tenant>>(async session =>
        {
            var command = session.Command($"SELECT {TenantColumns} FROM tenants ORDER BY created_at");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var tenants = new List<Tenant>();
            while (await reader.ReadAsync(ct)) tenants.Add(ReadTenant(session.Dialect, reader));
            return tenants;
        }, ct);

    public Task AddKeyAsync(ApiKey key, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(key.Tenant, async session =>
        {
            await InsertKeyAsync(session, key, ct);
            await AuditAppend.AppendAsync(session, audit, ct);
            return 0;
        }, ct);

    /// <summary>Authentication's lookup, before any tenant is known: a read across tenants.</summary>
    public Task<ApiKey?> FindKeyByHashAsync(string hash, CancellationToken ct) =>
        db.ReadAcrossTenantsAsync(async session =>
        {
            var command = session.Command($"SELECT {KeyColumns} FROM {KeysWithUsers} WHERE k.key_hash = @hash");
            session.Dialect.AddText(command, "@hash", hash);
            return await ReadKeyAsync(session.Dialect, command, ct);
        }, ct);

    /// <summary>A key by its id alone (revops key revoke KEYID): a read across tenants.</summary>
    public Task<ApiKey?> FindKeyAsync(string keyId, CancellationToken ct) =>
        db.ReadAcrossTenantsAsync(async session =>
        {
            var command = session.Command($"SELECT {KeyColumns} FROM {KeysWithUsers} WHERE k.id = @id");
            session.Dialect.AddText(command, "@id", keyId);
            return await ReadKeyAsync(session.Dialect, command, ct);
        }, ct);

    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<ApiKey>>(tenant, async session =>
        {
            var command = session.Command($"SELECT {KeyColumns} FROM {KeysWithUsers} WHERE k.tenant_id = @tenant ORDER BY k.created_at");
            session.Dialect.AddTenant(command, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var keys = new List<ApiKey>();
            while (await reader.ReadAsync(ct)) keys.Add(ReadKey(session.Dialect, reader));
            return keys;
        }, ct);

    public Task<bool> RevokeKeyAsync(TenantId tenant, string keyId, DateTime at, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(Revoke);
            d.AddTenant(command, tenant);
            d.AddText(command, "@id", keyId);
            d.AddTime(command, "@at", at);
            bool revoked = await command.ExecuteNonQueryAsync(ct) > 0;
            if (revoked) await AuditAppend.AppendAsync(session, audit, ct);
            return revoked;
        }, ct);

    /// <summary>Last-use times of keys of any tenant, in one statement: a write across tenants of that one column.</summary>
    public Task TouchKeysAsync(IReadOnlyDictionary<string, DateTime> lastUsed, CancellationToken ct) =>
        db.WriteAcrossTenantsAsync(async session =>
        {
            var command = session.Command(_touch);
            session.Dialect.AddIdTimes(command, "used", lastUsed);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    static async Task InsertKeyAsync(SqlSession session, ApiKey key, CancellationToken ct)
    {
        var d = session.Dialect;
        var command = session.Command(InsertKey);
        d.AddTenant(command, key.Tenant);
        d.AddText(command, "@id", key.Id);
        d.AddText(command, "@hash", key.Hash);
        d.AddText(command, "@prefix", key.Prefix);
        d.AddLong(command, "@scopes", (long)key.Scopes);
        d.AddTime(command, "@created", key.CreatedAt);
        d.AddTime(command, "@expires", key.ExpiresAt);
        d.AddText(command, "@user", key.UserId);
        await command.ExecuteNonQueryAsync(ct);
    }

    static async Task<ApiKey?> ReadKeyAsync(SqlDialect d, DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadKey(d, reader) : null;
    }

    static ApiKey ReadKey(SqlDialect d, DbDataReader reader) => new(reader.GetString(1), d.ReadTenant(reader, 0), reader.GetString(2), reader.GetString(3),
        (Scopes)reader.GetInt64(4), d.ReadTime(reader, 5), d.ReadNullableTime(reader, 6), d.ReadNullableTime(reader, 7), d.ReadNullableTime(reader, 8))
    {
        UserId = d.ReadNullableText(reader, 9),
        UserName = d.ReadNullableText(reader, 10),
        // A key without a user (none after migration 0012) keeps working; one whose user is inactive does not.
        UserActive = reader.IsDBNull(9) || d.Read(reader, 11, StorageKind.Boolean) is true,
    };

    static Tenant ReadTenant(SqlDialect d, DbDataReader reader) =>
        new(d.ReadTenant(reader, 0), reader.GetString(1), d.ReadNullableText(reader, 2), reader.GetString(3), d.ReadTime(reader, 4));
}
