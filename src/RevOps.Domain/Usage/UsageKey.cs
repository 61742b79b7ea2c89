namespace RevOps.Domain.Usage;

/// <summary>One aggregation cell: a tenant's calls of one tool on one day with one outcome.</summary>
public readonly record struct UsageKey(Guid Tenant, DateOnly Day, string Tool, bool Success);
