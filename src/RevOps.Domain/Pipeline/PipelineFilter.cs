namespace RevOps.Domain.Pipeline;

/// <summary>
/// The opportunities a pipeline summary counts, every condition optional: one Account's (a normalized Id),
/// one owner's (a User Id), those closing in [CloseFrom, CloseTo], those in one of the stages (as the picklist spells them).
/// </summary>
public sealed record PipelineFilter(string? AccountId = null, string? OwnerId = null, DateOnly? CloseFrom = null, DateOnly? CloseTo = null,
    IReadOnlyList<string>? Stages = null);
