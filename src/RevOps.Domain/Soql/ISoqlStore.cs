using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Soql;

/// <summary>Runs a planned query over one tenant's rows; every table the statement touches is filtered on the tenant.</summary>
public interface ISoqlStore
{
    /// <summary>Rows [offset, offset+pageSize) of the result (all rows for aggregate queries) and the total after LIMIT.</summary>
    Task<SoqlPage> QueryAsync(TenantId tenant, SoqlPlan plan, bool includeDeleted, int offset, int pageSize, CancellationToken ct);

    /// <summary>
    /// Every row of a query without aggregates or child subqueries (after its own LIMIT and OFFSET), in its order, from one
    /// statement in one snapshot, each handed to <paramref name="onRow"/> as it is read: the result is never held whole.
    /// Returns the number of rows.
    /// </summary>
    Task<long> StreamAsync(TenantId tenant, SoqlPlan plan, Action<SoqlRow> onRow, CancellationToken ct);
}
