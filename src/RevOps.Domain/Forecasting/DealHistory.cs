namespace RevOps.Domain.Forecasting;

/// <summary>
/// One opportunity as the forecast sees it: its current fields, every StageName it was given (from the change
/// log, in order) and when its activities (Tasks and Events on it) were logged. Times are UTC.
/// </summary>
public sealed record DealHistory(
    string Id,
    string? Name,
    string? OwnerId,
    double Amount,
    string StageName,
    double? Probability,
    bool IsClosed,
    bool IsWon,
    DateOnly CloseDate,
    DateTime CreatedAt,
    IReadOnlyList<StageStep> Steps,
    IReadOnlyList<DateTime> Activities)
{
    /// <summary>The step that closed the deal (its last step to a closed stage), or null when it is open or was created closed.</summary>
    public StageStep? ClosingStep =>
        IsClosed && Steps.Count > 0 && Steps[^1] is { From: not null } last && Forecasting.Stages.IsClosed(last.To) && !Forecasting.Stages.IsClosed(last.From)
            ? last : null;
}

/// <summary>The deal's StageName became To at At; From is what it was (null on creation).</summary>
public sealed record StageStep(DateTime At, string? From, string To);
