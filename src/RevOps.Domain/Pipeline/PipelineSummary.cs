namespace RevOps.Domain.Pipeline;

/// <summary>
/// The pipeline of a tenant (or of one Account): open opportunities by stage, in the sales
/// process's order, and by close month (YYYY-MM, ascending); won and lost ones whose CloseDate
/// falls in [From, To].
/// </summary>
public sealed record PipelineSummary(
    string? AccountId,
    DateOnly From,
    DateOnly To,
    PipelineBucket Open,
    IReadOnlyList<PipelineBucket> ByStage,
    IReadOnlyList<PipelineBucket> ByCloseMonth,
    PipelineBucket Won,
    PipelineBucket Lost)
{
    /// <summary>The narrowing applied to every bucket (empty when none was asked for).</summary>
    public PipelineFilter Filter { get; init; } = new();

    /// <summary>The biggest open deals, by Amount, when top was asked for.</summary>
    public IReadOnlyList<PipelineDeal>? TopDeals { get; init; }
}
