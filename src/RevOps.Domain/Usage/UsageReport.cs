namespace RevOps.Domain.Usage;

/// <summary>A tenant's usage over the days <see cref="From"/> through <see cref="To"/>: totals, per tool, per day and per day and tool.</summary>
public sealed record UsageReport(
    Guid Tenant,
    DateOnly From,
    DateOnly To,
    UsageFigures Totals,
    IReadOnlyList<ToolUsage> Tools,
    IReadOnlyList<DayUsage> Days,
    IReadOnlyList<DayToolUsage> Cells)
{
    public long TotalRequests => Totals.Requests;

    /// <summary>Requests refused by the rate limit in the period: not in <see cref="Totals"/> or any other figure.</summary>
    public RateLimitedUsage RateLimited { get; init; } = RateLimitedUsage.None;
}

/// <summary>Requests counted with their outcome and latency.</summary>
/// <param name="P50Ms">Median latency as the upper bound of its histogram bucket (see <see cref="LatencyBuckets"/>); null without requests.</param>
/// <param name="P95Ms">95th-percentile latency, likewise a bucket upper bound.</param>
public sealed record UsageFigures(long Requests, long Successes, long Errors, double AverageMs, double? P50Ms, double? P95Ms)
{
    public static UsageFigures None { get; } = new(0, 0, 0, 0, null, null);
}

/// <summary>One tool (MCP) or endpoint ("rest GET /sobjects/{type}/{id}").</summary>
public sealed record ToolUsage(string Tool, UsageFigures Figures);

public sealed record DayUsage(DateOnly Day, UsageFigures Figures);

public sealed record DayToolUsage(DateOnly Day, string Tool, UsageFigures Figures);
