using System.Globalization;
using Dapper;
using RevOps.Domain.Audit;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Sqlite;

public sealed class SqliteAuditStore(SqliteDatabase db) : IAuditStore
{
    const string Columns = "seq AS Seq, created_at AS CreatedAt, actor_id AS ActorId, channel AS Channel, action AS Action, target AS Target, details AS Details, request_id AS RequestId";

    public Task<IReadOnlyList<AuditEntry>> ListAsync(TenantId tenant, long? before, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>(db.Read(session =>
            session.Connection.Query<Row>(
                $"SELECT {Columns} FROM audit_log WHERE tenant_id = @Tenant AND seq < @Before ORDER BY seq DESC LIMIT @Limit",
                new { Tenant = tenant.ToString(), Before = before ?? long.MaxValue, Limit = limit })
            .Select(r => r.ToEntry(tenant)).ToList()));

    sealed record Row(long Seq, string CreatedAt, string ActorId, string Channel, string Action, string Target, string Details, string? RequestId)
    {
        public AuditEntry ToEntry(TenantId tenant) => new(tenant, Seq,
            DateTime.Parse(CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            ActorId, Channel, Action, Target, Details, RequestId);
    }
}
