using RevOps.Domain.Errors;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Soql;

/// <summary>
/// Runs SOQL for a caller: parses, plans against the caller's tenant schema (the tenant comes only
/// from the caller) and reads one page. MCP's soql_query and the REST query resources share it.
/// </summary>
public sealed class SoqlService(ISoqlStore store, SchemaService schemas, TimeProvider time)
{
    public const int MaxPageSize = 2000;
    /// <summary>Salesforce's default ceiling on a SOQL statement's length.</summary>
    public const int MaxQueryLength = 100_000;

    /// <summary>One page of a query: rows [offset, offset+pageSize) of the full result, plus the full row count (after LIMIT).</summary>
    public async Task<CrmResult<SoqlPage>> QueryAsync(Caller caller, string soql, bool includeDeleted, int offset, int pageSize, CancellationToken ct)
    {
        if (offset < 0) return new CrmError(ErrorCodes.InvalidArgument, $"offset must be 0 or more; got {offset}.");
        if (pageSize is < 1 or > MaxPageSize) return new CrmError(ErrorCodes.InvalidArgument, $"page size must be between 1 and {MaxPageSize}; got {pageSize}.");
        var plan = await PlanAsync(caller, soql, ct);
        if (!plan.IsOk) return plan.Error;
        return await store.QueryAsync(caller.Tenant, plan.Value, includeDeleted, offset, pageSize, ct);
    }

    /// <summary>One page of a query given as a syntax tree (see <see cref="SoqlPlanner.Plan(SoqlSyntax.Query, TenantSchema, DateOnly)"/>).</summary>
    public async Task<CrmResult<SoqlPage>> QueryAsync(Caller caller, SoqlSyntax.Query query, int offset, int pageSize, CancellationToken ct)
    {
        if (offset < 0) return new CrmError(ErrorCodes.InvalidArgument, $"offset must be 0 or more; got {offset}.");
        if (pageSize is < 1 or > MaxPageSize) return new CrmError(ErrorCodes.InvalidArgument, $"page size must be between 1 and {MaxPageSize}; got {pageSize}.");
        var schema = await schemas.GetAsync(caller.Tenant, ct);
        var plan = SoqlPlanner.Plan(query, schema, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (!plan.IsOk) return plan.Error;
        return await store.QueryAsync(caller.Tenant, plan.Value, includeDeleted: false, offset, pageSize, ct);
    }

    /// <summary>
    /// Every row of a query, streamed in one snapshot (an export): one statement instead of a page each, so a million rows
    /// cost one read, not a count and a sort per page. Aggregates and child subqueries have pages only.
    /// </summary>
    public async Task<CrmResult<long>> StreamAsync(Caller caller, SoqlPlan plan, Action<SoqlRow> onRow, CancellationToken ct)
    {
        if (plan.IsAggregate || plan.IsCountOnly)
            return new CrmError(ErrorCodes.InvalidArgument, "aggregate and COUNT() queries have no rows to stream; run them with soql_query.");
        if (plan.Outputs.Any(o => o is SoqlChildOutput))
            return new CrmError(ErrorCodes.InvalidArgument, "child subqueries (SELECT … (SELECT … FROM Contacts)) are not streamed; query the children on their own.");
        return await store.StreamAsync(caller.Tenant, plan, onRow, ct);
    }

    /// <summary>The plan of a query for the caller's schema, with date literals computed for today (UTC).</summary>
    public async Task<CrmResult<SoqlPlan>> PlanAsync(Caller caller, string soql, CancellationToken ct)
    {
        if (soql?.Length > MaxQueryLength)
            return new CrmError(ErrorCodes.MalformedQuery, $"SOQL statements cannot exceed {MaxQueryLength:N0} characters; this one has {soql.Length:N0}. Filter with fewer values, or split the query.");
        var schema = await schemas.GetAsync(caller.Tenant, ct);
        return SoqlPlanner.Plan(soql ?? "", schema, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), caller.ActorId);
    }
}
