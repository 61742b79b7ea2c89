namespace RevOps.Domain.Usage;

/// <summary>Stored call counts of one day, tool and outcome.</summary>
public sealed record UsageCallRow(DateOnly Day, string Tool, bool Success, long Calls, double TotalMs);

/// <summary>Stored calls of one day and tool that fell in one latency bucket.</summary>
public sealed record UsageLatencyRow(DateOnly Day, string Tool, int Bucket, long Calls);
