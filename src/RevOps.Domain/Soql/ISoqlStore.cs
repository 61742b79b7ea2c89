using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Soql;

/// <summary>Runs a planned query over one tenant's rows; every table the statement touches is filtered on the tenant.</summary>
public interface ISoqlStore
{
    /// <summary>Rows [offset, offset+pageSize) of the result (all rows for aggregate queries) and the total after LIMIT.</summary>
    Task<SoqlPage> QueryAsync(TenantId tenant, SoqlPlan plan, bool includeDeleted, int offset, int pageSize, CancellationToken ct);
}
