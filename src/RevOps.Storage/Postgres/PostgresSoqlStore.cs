using RevOps.Domain.Soql;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Postgres;

internal sealed class PostgresSoqlStore(PostgresDatabase db) : ISoqlStore
{
    public Task<SoqlPage> QueryAsync(TenantId tenant, SoqlPlan plan, bool includeDeleted, int offset, int pageSize, CancellationToken ct) =>
        throw new NotSupportedException($"SOQL is not implemented on {db.Location} yet.");
}
