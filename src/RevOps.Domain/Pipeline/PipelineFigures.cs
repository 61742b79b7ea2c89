namespace RevOps.Domain.Pipeline;

/// <summary>What the store adds up: open opportunities by stage and by close month, closed ones in the period.</summary>
public sealed record PipelineFigures(
    IReadOnlyList<PipelineBucket> OpenByStage,
    IReadOnlyList<PipelineBucket> OpenByCloseMonth,
    PipelineBucket Won,
    PipelineBucket Lost);
