
namespace RevOps.Domain.Usage;

public interface IUsageStore
{
    /// <summary>Adds the counts to the stored totals in one transaction.</summary>
    Task AddAsync(IReadOnlyDictionary<UsageKey, UsageCounts> deltas, CancellationToken ct);

    /// <summary>Totals for the days <paramref name="from"/> through <paramref name="to"/> inclusive.</summary>
    Task<UsageReport> ReportAsync(Guid tenant, DateOnly from, DateOnly to, CancellationToken ct);
}
