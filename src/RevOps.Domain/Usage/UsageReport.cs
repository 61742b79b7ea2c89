namespace RevOps.Domain.Usage;

/// <summary>A tenant's usage over a period, as the seed's billing query reports it, plus per-tool rows.</summary>
public sealed record UsageReport(
    Guid Tenant,
    DateOnly From,
    DateOnly To,
    long TotalRequests,
    long SuccessfulRequests,
    double AverageLatencyMs,
    IReadOnlyList<ToolUsage> Tools);

public sealed record ToolUsage(string Tool, long Calls, long Errors, double AverageLatencyMs);
