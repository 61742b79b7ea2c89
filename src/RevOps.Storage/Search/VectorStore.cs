using System.Data.Common;
using RevOps.Domain.Search.Semantic;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Search;

/// <summary>
/// The semantic index in the database (migration 0020): semantic_index holds each tenant's cursor, version,
/// generation and lease; record_vectors one row per record. A save writes its rows and moves the cursor in one
/// transaction of the tenant, and only while the saving node still holds the lease.
/// </summary>
internal sealed class VectorStore(SqlDatabase db) : IVectorStore
{
    readonly SqlDialect _d = db.Dialect;

    string Behind => $"""
        SELECT t.id FROM tenants t LEFT JOIN semantic_index s ON s.tenant_id = t.id
        WHERE s.tenant_id IS NULL OR s.built = 0 OR t.change_seq > s.seq
        {_d.Limit}
        """;

    const string State = "SELECT seq, version, generation, built, model FROM semantic_index WHERE tenant_id = @tenant";

    const string Create = "INSERT INTO semantic_index (tenant_id) VALUES (@tenant) ON CONFLICT (tenant_id) DO NOTHING";

    const string Lease = """
        UPDATE semantic_index SET lease_owner = @owner, lease_until = @until
        WHERE tenant_id = @tenant AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until < @now)
        """;

    // Raising the version first locks the tenant's row, so saves of one tenant take their versions in turn.
    const string Advance = """
        UPDATE semantic_index SET version = version + 1, seq = CASE WHEN @seq > seq THEN @seq ELSE seq END, built = CASE WHEN @built > built THEN @built ELSE built END, model = @model
        WHERE tenant_id = @tenant AND lease_owner = @owner
        """;

    const string Upsert = """
        INSERT INTO record_vectors (tenant_id, record_id, object, name, owner_id, industry, stage_name, created_date, vector, version)
        VALUES (@tenant, @id, @object, @name, @owner, @industry, @stage, @created, @vector, (SELECT version FROM semantic_index WHERE tenant_id = @tenant))
        ON CONFLICT (tenant_id, record_id) DO UPDATE SET object = excluded.object, name = excluded.name, owner_id = excluded.owner_id,
            industry = excluded.industry, stage_name = excluded.stage_name, created_date = excluded.created_date, vector = excluded.vector, version = excluded.version
        """;

    const string Changed = """
        SELECT object, record_id, name, owner_id, industry, stage_name, created_date, vector FROM record_vectors
        WHERE tenant_id = @tenant AND version > @after
        """;

    public Task<IReadOnlyList<TenantId>> TenantsBehindAsync(int max, CancellationToken ct) =>
        db.ReadAcrossTenantsAsync<IReadOnlyList<TenantId>>(async session =>
        {
            var command = session.Command(Behind);
            _d.AddLong(command, "@limit", max);
            var tenants = new List<TenantId>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) tenants.Add(_d.ReadTenant(reader, 0));
            return tenants;
        }, ct);

    public Task<IndexState?> StateAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync(tenant, session => ReadStateAsync(session, tenant, ct), ct);

    async Task<IndexState?> ReadStateAsync(SqlSession session, TenantId tenant, CancellationToken ct)
    {
        var command = session.Command(State);
        _d.AddTenant(command, tenant);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new IndexState(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3) != 0, _d.ReadNullableText(reader, 4));
    }

    public Task<bool> TryLeaseAsync(TenantId tenant, string owner, DateTime now, DateTime until, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var create = session.Command(Create);
            _d.AddTenant(create, tenant);
            await create.ExecuteNonQueryAsync(ct);
            var lease = session.Command(Lease);
            _d.AddTenant(lease, tenant);
            _d.AddText(lease, "@owner", owner);
            _d.AddTime(lease, "@now", now);
            _d.AddTime(lease, "@until", until);
            return await lease.ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    public Task<bool> SaveAsync(TenantId tenant, string owner, IReadOnlyList<RecordVector> entries, long seq, bool built, string model, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var advance = session.Command(Advance);
            _d.AddTenant(advance, tenant);
            _d.AddText(advance, "@owner", owner);
            _d.AddLong(advance, "@seq", seq);
            _d.AddLong(advance, "@built", built ? 1 : 0);
            _d.AddText(advance, "@model", model);
            if (await advance.ExecuteNonQueryAsync(ct) != 1) return false;
            foreach (var entry in entries)
            {
                var upsert = session.Command(Upsert);
                _d.AddTenant(upsert, tenant);
                _d.AddText(upsert, "@id", entry.Id);
                _d.AddText(upsert, "@object", entry.Object);
                _d.AddText(upsert, "@name", entry.Name);
                _d.AddText(upsert, "@owner", entry.OwnerId);
                _d.AddText(upsert, "@industry", entry.Industry);
                _d.AddText(upsert, "@stage", entry.StageName);
                _d.AddTime(upsert, "@created", entry.CreatedDate);
                _d.AddVector(upsert, "@vector", entry.Vector);
                await upsert.ExecuteNonQueryAsync(ct);
            }
            return true;
        }, ct);

    public Task<(IndexState State, IReadOnlyList<RecordVector> Entries)> ReadAsync(TenantId tenant, long afterVersion, CancellationToken ct) =>
        db.ReadAsync<(IndexState, IReadOnlyList<RecordVector>)>(tenant, async session =>
        {
            var state = await ReadStateAsync(session, tenant, ct) ?? new IndexState(0, 0, 0, false, null);
            var entries = new List<RecordVector>();
            if (state.Version <= afterVersion) return (state, entries);
            var command = session.Command(Changed);
            _d.AddTenant(command, tenant);
            _d.AddLong(command, "@after", afterVersion);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                entries.Add(new RecordVector(reader.GetString(0), reader.GetString(1), _d.ReadNullableText(reader, 2), _d.ReadNullableText(reader, 3),
                    _d.ReadNullableText(reader, 4), _d.ReadNullableText(reader, 5), _d.ReadNullableTime(reader, 6), _d.ReadVector(reader, 7)));
            return (state, entries);
        }, ct, snapshot: true);

    public Task ResetAsync(TenantId tenant, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            foreach (var sql in new[]
            {
                "DELETE FROM record_vectors WHERE tenant_id = @tenant",
                "UPDATE semantic_index SET seq = 0, built = 0, generation = generation + 1, version = version + 1, lease_owner = NULL, lease_until = NULL WHERE tenant_id = @tenant",
            })
            {
                var command = session.Command(sql);
                _d.AddTenant(command, tenant);
                await command.ExecuteNonQueryAsync(ct);
            }
            return 0;
        }, ct);
}
