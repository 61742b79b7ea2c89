using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Pipeline;

/// <summary>Sums over one tenant's live (not deleted) opportunities.</summary>
public interface IPipelineStore
{
    /// <param name="filter">Which opportunities count at all (every bucket).</param>
    /// <param name="from">First CloseDate counted for won and lost.</param>
    /// <param name="to">Last CloseDate counted for won and lost.</param>
    Task<PipelineFigures> SummarizeAsync(TenantId tenant, PipelineFilter filter, DateOnly from, DateOnly to, CancellationToken ct);
}
