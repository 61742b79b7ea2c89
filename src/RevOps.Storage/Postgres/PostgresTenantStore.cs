using Npgsql;
using NpgsqlTypes;
using RevOps.Domain.Audit;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Tenants and API keys. A tenant's own rows are read and written in its tenant transaction; the
/// lookups that come before a tenant is known (a key by hash or id), the tenant list and the batched
/// last-use times run as the operator (see <see cref="PostgresDatabase"/>).
/// </summary>
internal sealed class PostgresTenantStore(PostgresDatabase db) : ITenantStore
{
    const string KeyColumns = "tenant_id, id, key_hash, prefix, scopes, created_at, expires_at, revoked_at, last_used_at";
    const string TenantColumns = "id, name, domain, subscription_tier, created_at";

    public Task CreateAsync(Tenant tenant, ApiKey firstKey, AuditEntry audit, CancellationToken ct) =>
        db.InTenantAsync(tenant.Id, async connection =>
        {
            await using (var command = new NpgsqlCommand(
                "INSERT INTO tenants (id, name, domain, subscription_tier, created_at) VALUES (@tenant, @name, @domain, @tier, @at)", connection))
            {
                PostgresValues.AddTenant(command.Parameters, tenant.Id);
                PostgresValues.Add(command.Parameters, "name", tenant.Name);
                PostgresValues.Add(command.Parameters, "domain", tenant.Domain);
                PostgresValues.Add(command.Parameters, "tier", tenant.SubscriptionTier);
                PostgresValues.Add(command.Parameters, "at", tenant.CreatedAt);
                await command.ExecuteNonQueryAsync(ct);
            }
            await InsertKeyAsync(connection, firstKey, ct);
            await PostgresAudit.AppendAsync(connection, audit, ct);
            return 0;
        }, ct);

    public Task<Tenant?> GetAsync(TenantId id, CancellationToken ct) =>
        db.InTenantAsync(id, async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {TenantColumns} FROM tenants WHERE id = @tenant", connection);
            PostgresValues.AddTenant(command.Parameters, id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadTenant(reader) : null;
        }, ct);

    /// <summary>Every tenant: an operator read (revops tenant list).</summary>
    public Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct) =>
        db.AsOperatorAsync<IReadOnlyList<Tenant>>(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {TenantColumns} FROM tenants ORDER BY created_at", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var tenants = new List<Tenant>();
            while (await reader.ReadAsync(ct)) tenants.Add(ReadTenant(reader));
            return tenants;
        }, ct);

    public Task AddKeyAsync(ApiKey key, AuditEntry audit, CancellationToken ct) =>
        db.InTenantAsync(key.Tenant, async connection =>
        {
            await InsertKeyAsync(connection, key, ct);
            await PostgresAudit.AppendAsync(connection, audit, ct);
            return 0;
        }, ct);

    /// <summary>Authentication's lookup, before any tenant is known: an operator read.</summary>
    public Task<ApiKey?> FindKeyByHashAsync(string hash, CancellationToken ct) =>
        db.AsOperatorAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {KeyColumns} FROM api_keys WHERE key_hash = @hash", connection);
            PostgresValues.Add(command.Parameters, "hash", hash);
            return await ReadKeyAsync(command, ct);
        }, ct);

    /// <summary>A key by its id alone (revops key revoke KEYID): an operator read.</summary>
    public Task<ApiKey?> FindKeyAsync(string keyId, CancellationToken ct) =>
        db.AsOperatorAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {KeyColumns} FROM api_keys WHERE id = @id", connection);
            PostgresValues.Add(command.Parameters, "id", keyId);
            return await ReadKeyAsync(command, ct);
        }, ct);

    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(TenantId tenant, CancellationToken ct) =>
        db.InTenantAsync<IReadOnlyList<ApiKey>>(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {KeyColumns} FROM api_keys WHERE tenant_id = @tenant ORDER BY created_at", connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var keys = new List<ApiKey>();
            while (await reader.ReadAsync(ct)) keys.Add(ReadKey(reader));
            return keys;
        }, ct);

    public Task<bool> RevokeKeyAsync(TenantId tenant, string keyId, DateTime at, AuditEntry audit, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            bool revoked;
            await using (var command = new NpgsqlCommand(
                "UPDATE api_keys SET revoked_at = @at WHERE tenant_id = @tenant AND id = @id AND revoked_at IS NULL", connection))
            {
                PostgresValues.AddTenant(command.Parameters, tenant);
                PostgresValues.Add(command.Parameters, "id", keyId);
                PostgresValues.Add(command.Parameters, "at", at);
                revoked = await command.ExecuteNonQueryAsync(ct) > 0;
            }
            if (revoked) await PostgresAudit.AppendAsync(connection, audit, ct);
            return revoked;
        }, ct);

    /// <summary>Last-use times of keys of any tenant, in one statement: an operator write of that one column.</summary>
    public Task TouchKeysAsync(IReadOnlyDictionary<string, DateTime> lastUsed, CancellationToken ct) =>
        db.AsOperatorAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE api_keys k SET last_used_at = v.at
                FROM unnest(@ids, @ats) AS v(id, at)
                WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.at)
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = lastUsed.Keys.ToArray() });
            command.Parameters.Add(new NpgsqlParameter("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = lastUsed.Values.Select(PostgresValues.Time).ToArray() });
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    static async Task InsertKeyAsync(NpgsqlConnection connection, ApiKey key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO api_keys (tenant_id, id, key_hash, prefix, scopes, created_at, expires_at)
            VALUES (@tenant, @id, @hash, @prefix, @scopes, @created, @expires)
            """, connection);
        PostgresValues.AddTenant(command.Parameters, key.Tenant);
        PostgresValues.Add(command.Parameters, "id", key.Id);
        PostgresValues.Add(command.Parameters, "hash", key.Hash);
        PostgresValues.Add(command.Parameters, "prefix", key.Prefix);
        PostgresValues.Add(command.Parameters, "scopes", (long)key.Scopes);
        PostgresValues.Add(command.Parameters, "created", key.CreatedAt);
        PostgresValues.Add(command.Parameters, "expires", key.ExpiresAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    static async Task<ApiKey?> ReadKeyAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadKey(reader) : null;
    }

    static ApiKey ReadKey(NpgsqlDataReader reader) => new(reader.GetString(1), new TenantId(reader.GetGuid(0)), reader.GetString(2), reader.GetString(3),
        (Scopes)reader.GetInt64(4), reader.GetFieldValue<DateTime>(5), PostgresValues.NullableTime(reader, 6), PostgresValues.NullableTime(reader, 7),
        PostgresValues.NullableTime(reader, 8));

    static Tenant ReadTenant(NpgsqlDataReader reader) =>
        new(new TenantId(reader.GetGuid(0)), reader.GetString(1), PostgresValues.NullableText(reader, 2), reader.GetString(3), reader.GetFieldValue<DateTime>(4));
}
